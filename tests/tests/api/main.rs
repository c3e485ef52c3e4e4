//! Black-box suites against the real router over real HTTP and WebSocket, each test on its
//! own PostgreSQL database.

#![expect(clippy::expect_used, reason = "tests fail fast on broken setup")]

mod api_keys;
mod attributes;
mod auth;
mod cache;
mod cart;
mod catalog;
mod catalog_admin;
mod checkout;
mod checkout_concurrency;
mod contracts;
mod customers;
mod discounts;
mod http;
mod import;
mod instances;
mod live_events;
mod media;
mod orders;
mod payments;
mod plugin_extensions;
mod plugins;
mod rest;
mod shipping_payment;
mod subscriptions;

//! The MCP servers driven by real clients: the rmcp client over streamable HTTP (legacy
//! sessions and the 2026-07-28 discover flow), the official Python SDK, plus the check that
//! every tool operation validates against the current schema.

#![expect(clippy::expect_used, reason = "tests fail fast on broken setup")]

mod admin;
mod attributes;
mod audit;
mod cart;
mod catalog;
mod catalog_tools;
mod checkout;
mod customers;
mod discounts;
mod media;
mod operations;
mod orders;
mod plugins;
mod python;
mod shipping_payment;
mod store;
mod support;

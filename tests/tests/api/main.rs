//! Black-box suites against the real router over real HTTP and WebSocket, each test on its
//! own PostgreSQL database.

mod api_keys;
mod auth;
mod contracts;
mod http;
mod instances;
mod subscriptions;

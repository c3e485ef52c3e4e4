//! The `stoa` server: CLI, configuration, embedded PostgreSQL, HTTP surface and lifecycle.

// The schema's merged root objects are deep async types: computing their layout needs more
// than the default recursion limit in release builds.
#![recursion_limit = "256"]

pub mod app;
pub mod cli;
pub mod config;
pub mod database;
pub mod embedded_pg;
pub mod events;
pub mod http;
pub mod import;
pub mod mcp;
pub mod media;
pub mod plugins;
pub mod rest;
pub mod schema;
pub mod telemetry;

pub use app::App;
pub use config::Config;

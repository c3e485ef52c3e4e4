//! The `stoa` server: CLI, configuration, embedded PostgreSQL, HTTP surface and lifecycle.

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
pub mod telemetry;

pub use app::App;
pub use config::Config;

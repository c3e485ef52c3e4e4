//! Stoa's MCP servers: tool tables mapping tool names to GraphQL operations, executed
//! in-process through [`async_graphql::Executor`].
//!
//! - [`tools`]: the store and admin tables (one row per tool).
//! - [`catalog`]: rows → MCP tools, with input schemas derived from the operations'
//!   variables and the schema's input types.
//! - [`server`]: the rmcp handler, per-session sign-in, streamable HTTP and stdio.
//! - [`auth`]: the hook through which the server authenticates callers.

pub mod args;
pub mod auth;
pub mod catalog;
pub mod error;
pub mod output;
pub mod sdl;
pub mod server;
pub mod table;
pub mod tools;

pub use auth::{CallContext, Caller, CallerKind, McpAuth};
pub use catalog::{Catalog, CatalogError, ToolSpec};
pub use error::ToolError;
pub use server::{HttpOptions, McpServer, McpSession, http_service, serve_stdio};
pub use table::{ServerKind, ToolRow};

#[cfg(test)]
mod session_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod transform_tests;

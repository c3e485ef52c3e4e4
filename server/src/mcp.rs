//! MCP servers (`/mcp/store`, `/mcp/admin`, `stoa mcp store|admin --stdio`): wiring of the
//! `stoa-mcp` crate into the server. (Being written; see the MCP part of issue 3.)

use axum::Router;

use crate::app::App;
use crate::config::Config;

/// Which MCP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum McpServerKind {
    Store,
    Admin,
}

/// The streamable-HTTP MCP routes.
pub fn routes(_app: &App) -> Router<App> {
    Router::new()
}

/// `stoa mcp store|admin [--stdio]`.
pub async fn run_cli(_config: Config, _kind: McpServerKind, _stdio: bool) -> anyhow::Result<()> {
    anyhow::bail!("the MCP servers are not available in this build yet")
}

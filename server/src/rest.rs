//! The REST compatibility layer (`/api/v1/*`): wiring of the `stoa-rest-compat` crate.

use axum::Router;

use crate::app::App;

/// The `/api/v1` routes generated from the route table.
pub fn routes(_app: &App) -> Router<App> {
    Router::new()
}

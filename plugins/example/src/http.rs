//! The plugin's own HTTP route, mounted by the server under `/plugins/order_guard/`:
//! `GET /plugins/order_guard/status` for staff holding `orders.read`, answering in the Stoa
//! envelope. Plugin routes authenticate themselves (the `Authorization` header, through
//! [`stoa_resolvers::guard::authorize_staff`]); the server's global layers (request id,
//! tracing, body limit, timeouts, CORS, security headers) apply.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use stoa_resolvers::domain::auth::Permission;
use stoa_resolvers::{ApiError, AppState};

use crate::log::LogEntry;

/// The routes, relative to `/plugins/order_guard`.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/status", get(status))
}

fn error(e: &ApiError) -> Response {
    let status =
        StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({"errors": [{"code": e.code.as_str().to_lowercase(), "detail": e.message}]});
    (status, Json(body)).into_response()
}

async fn status(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    if let Err(e) =
        stoa_resolvers::guard::authorize_staff(&state, authorization, Permission::OrdersRead).await
    {
        return error(&e);
    }
    let logged = match stoa_db::pool::conn(&state.pool).await {
        Ok(mut c) => LogEntry::count(&mut c).await.map_err(ApiError::from),
        Err(e) => Err(ApiError::from(e)),
    };
    match logged {
        Ok(n) => Json(json!({"data": {
            "plugin": "order_guard",
            "version": env!("CARGO_PKG_VERSION"),
            "logged_orders": n,
        }}))
        .into_response(),
        Err(e) => error(&e),
    }
}

//! `GET /api/v1/health` (the reference body) and `GET /readyz`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::App;

/// `{"data":{"status":"ok"}}`, or `"degraded"` (still 200) when the database does not answer.
pub async fn health(State(app): State<App>) -> Response {
    let status = if stoa_db::pool::ping(&app.state.pool).await {
        "ok"
    } else {
        "degraded"
    };
    let body = serde_json::json!({ "data": { "status": status } });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body}\n"),
    )
        .into_response()
}

/// 200 when the database answers, 503 otherwise (for load balancers).
pub async fn readyz(State(app): State<App>) -> Response {
    if stoa_db::pool::ping(&app.state.pool).await {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
    }
}

//! The HTTP surface: router assembly and the global layers (request id, tracing, metrics,
//! CORS, security headers, body limits).

pub mod cache;
pub mod graphql;
pub mod health;
pub mod metrics;
pub mod middleware;
pub mod ws;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::get;
use tokio_util::sync::CancellationToken;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::App;

fn cors(app: &App) -> CorsLayer {
    let origins: Vec<HeaderValue> = app
        .config
        .server
        .cors
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let methods: Vec<Method> = app
        .config
        .server
        .cors
        .allowed_methods
        .iter()
        .filter_map(|m| Method::from_bytes(m.as_bytes()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods(methods)
        .allow_headers([
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-csrf-token"),
            HeaderName::from_static("x-request-id"),
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static("x-session-id"),
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("mcp-session-id"),
            HeaderName::from_static("mcp-protocol-version"),
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([
            header::LINK,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("mcp-session-id"),
            header::WWW_AUTHENTICATE,
        ])
        .allow_credentials(true)
        .max_age(Duration::from_secs(300))
}

fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let h = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    };
    router
        .layer(h("x-content-type-options", "nosniff"))
        .layer(h("x-frame-options", "DENY"))
        .layer(h("x-xss-protection", "1; mode=block"))
        .layer(h("referrer-policy", "strict-origin-when-cross-origin"))
        .layer(h("content-security-policy", "default-src 'self'"))
        .layer(h(
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ))
}

/// `/uploads/*`: the files of the local media storage (none with S3). Directories are
/// never listed: anything that is not a stored file is 404.
fn uploads(app: &App) -> Router<App> {
    if app.config.media.storage == "local" {
        Router::new()
            .route("/uploads", get(middleware::not_found))
            .route("/uploads/", get(middleware::not_found))
            .route("/uploads/{*path}", get(crate::media::serve))
    } else {
        Router::new()
    }
}

/// The whole router.
pub fn router(app: App) -> Router {
    // Request/response routes are bounded by `server.write_timeout` (503 when exceeded);
    // the WebSocket route is long-lived and is not.
    let cache = axum::middleware::from_fn_with_state(app.cache.clone(), cache::layer);
    let bounded = Router::new()
        .route(
            "/graphql",
            get(graphql::get_handler)
                .post(graphql::post_handler)
                .layer(cache.clone()),
        )
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::handler))
        .merge(crate::rest::routes(&app))
        .merge(app.extensions.router(&app.state))
        .merge(uploads(&app))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            app.config.server.write_timeout,
        ));
    let routes = Router::new()
        .route("/graphql/ws", get(ws::handler))
        .merge(bounded)
        .merge(crate::mcp::routes(&app).layer(cache))
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed);
    let routes = security_headers(routes)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            middleware::body_limit,
        ))
        .layer(cors(&app))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            metrics::track,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(middleware::make_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    routes.with_state(app)
}

/// Serves the router on a bound listener until `shutdown` is cancelled, then drains.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    tokio::spawn(cache::listen(
        app.cache.clone(),
        app.state.pool.clone(),
        shutdown.child_token(),
    ));
    tokio::spawn(crate::events::listen(
        app.state.events.clone(),
        app.state.pool.clone(),
        shutdown.child_token(),
    ));
    let router = router(app).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}

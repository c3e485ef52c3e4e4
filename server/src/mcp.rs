//! MCP servers (`/mcp/store`, `/mcp/admin`, `stoa mcp store|admin --stdio`): wiring of the
//! `stoa-mcp` crate into the server. Tools execute their operations on the app's schema with
//! the caller's principal, exactly like `/graphql`.
//!
//! Authentication: `Authorization: Bearer …` or `ApiKey …` on every HTTP request (stdio:
//! the `STOA_MCP_AUTHORIZATION` environment variable). The admin endpoint answers 401
//! (no or invalid credentials) or 403 (not staff) before any MCP session exists.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use stoa_mcp::{CallContext, Caller, CallerKind, McpAuth, McpServer, ServerKind, ToolError};
use stoa_resolvers::domain::auth::Principal;
use stoa_resolvers::{ApiError, RequestMeta};

use crate::schema::StoaSchema;

use crate::app::{App, pool_settings};
use crate::config::Config;
use crate::database::Database;
use crate::http::middleware::{Peer, client_ip};

/// The environment variable holding the stdio servers' credential (an `Authorization`
/// header value: `ApiKey ck_…`, `ApiKey sk_…` or `Bearer …`).
pub const AUTHORIZATION_ENV: &str = "STOA_MCP_AUTHORIZATION";

/// Which MCP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum McpServerKind {
    Store,
    Admin,
}

impl From<McpServerKind> for ServerKind {
    fn from(k: McpServerKind) -> Self {
        match k {
            McpServerKind::Store => ServerKind::Store,
            McpServerKind::Admin => ServerKind::Admin,
        }
    }
}

/// The MCP authentication hook: the same authentication as `/graphql`.
struct Auth {
    app: App,
}

fn tool_error(e: ApiError) -> ToolError {
    ToolError {
        code: e.code.as_str().to_owned(),
        message: e.message,
        field: e.field,
    }
}

fn caller_kind(p: &Principal) -> CallerKind {
    if p.is_staff() {
        CallerKind::Staff
    } else if p.customer_id().is_some() {
        CallerKind::Customer
    } else {
        CallerKind::Anonymous
    }
}

#[async_trait::async_trait]
impl McpAuth for Auth {
    async fn authenticate(
        &self,
        authorization: Option<&str>,
        cx: &CallContext<'_>,
    ) -> Result<Caller, ToolError> {
        let principal = self
            .app
            .state
            .auth
            .authenticate(&self.app.state.pool, authorization)
            .await
            .map_err(tool_error)?;
        let ip = cx.http.and_then(|parts| {
            let peer = Peer(
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0),
            );
            client_ip(peer, &parts.headers, &self.app.trusted_proxies)
        });
        // Guest carts key on the MCP session's id: one guest identity per MCP session, so a
        // guest's cart tools work across calls without passing a session id around.
        let session = stoa_resolvers::GuestSession(cx.session_id.to_owned());
        let lang = cx.http.and_then(|parts| {
            parts
                .headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        let kind = caller_kind(&principal);
        Ok(Caller::new(kind, move |req| {
            let req = req
                .data(principal.clone())
                .data(RequestMeta {
                    ip,
                    channel: stoa_resolvers::state::Channel::Mcp,
                })
                .data(session.clone());
            match lang.clone() {
                Some(l) => req.data(stoa_resolvers::AcceptLanguage(l)),
                None => req,
            }
        }))
    }
}

fn server(
    app: &App,
    kind: ServerKind,
    authorization: Option<String>,
) -> anyhow::Result<McpServer<StoaSchema>> {
    let auth = Arc::new(Auth { app: app.clone() });
    let sdl = app.schema.sdl();
    let rows = match kind {
        ServerKind::Store => app.extensions.mcp_store.clone(),
        ServerKind::Admin => app.extensions.mcp_admin.clone(),
    };
    McpServer::with_rows(kind, rows, app.schema.clone(), &sdl, auth, authorization)
        .with_context(|| format!("building the {} MCP tools", kind.as_str()))
}

fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": -32001, "message": format!("{code}: {message}"), "data": { "code": code } },
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `/mcp/admin` only for staff: 401 without valid credentials, 403 for others.
async fn staff_only(State(app): State<App>, req: Request, next: Next) -> Response {
    let value = match req.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(v) => match v.to_str() {
            Ok(s) => Some(s.to_owned()),
            Err(_) => {
                return json_error(
                    StatusCode::UNAUTHORIZED,
                    "INVALID_TOKEN",
                    "invalid authorization header format",
                );
            }
        },
    };
    let mut resp = match app
        .state
        .auth
        .authenticate(&app.state.pool, value.as_deref())
        .await
    {
        Ok(p) if p.is_staff() => return next.run(req).await,
        Ok(Principal::Anonymous) => json_error(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "the admin MCP server needs a staff access token or a staff API key",
        ),
        Ok(_) => json_error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "the admin MCP server is for staff users and staff API keys only",
        ),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
            json_error(status, e.code.as_str(), &e.message)
        }
    };
    if resp.status() == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer, ApiKey"),
        );
    }
    resp
}

/// The servers never push unprompted messages, so there is no standalone SSE stream: a GET
/// gets 405 (as the transport allows), and no long-lived response holds up a graceful
/// shutdown. A session ended with DELETE answers 204 (rmcp says 202, which some clients
/// report as a failure).
async fn transport_rules(req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        let mut resp = StatusCode::METHOD_NOT_ALLOWED.into_response();
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST, DELETE"));
        return resp;
    }
    let delete = req.method() == Method::DELETE;
    let mut resp = next.run(req).await;
    if delete && resp.status() == StatusCode::ACCEPTED {
        *resp.status_mut() = StatusCode::NO_CONTENT;
    }
    resp
}

/// `/mcp/store` keeps sign-ins in MCP sessions, which protocol 2026-07-28 does not have over
/// HTTP: its `server/discover` probe is answered as a server predating that version would
/// (JSON-RPC "method not found"), so clients fall back to the `initialize` handshake.
async fn discover_as_legacy(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, app.config.server.max_body_size).await else {
        return json_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "request body exceeds size limit",
        );
    };
    if let Ok(msg) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && msg["method"] == "server/discover"
        && let Some(id) = msg.get("id")
    {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": id,
            "error": { "code": -32601, "message": "Method not found: server/discover" },
        });
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

async fn unavailable() -> Response {
    json_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "SERVICE_UNAVAILABLE",
        "the MCP tools could not be built; see the server log",
    )
}

fn options(app: &App) -> stoa_mcp::HttpOptions {
    stoa_mcp::HttpOptions {
        // Every call is authenticated like `/graphql`, which accepts any Host as well;
        // browsers are held to the CORS origins.
        allowed_hosts: None,
        allowed_origins: app.config.server.cors.allowed_origins.clone(),
        max_body_bytes: app.config.server.max_body_size,
        ..stoa_mcp::HttpOptions::default()
    }
}

/// The streamable-HTTP MCP routes.
pub fn routes(app: &App) -> Router<App> {
    let mut router = Router::new();
    for kind in [ServerKind::Store, ServerKind::Admin] {
        let path = match kind {
            ServerKind::Store => "/mcp/store",
            ServerKind::Admin => "/mcp/admin",
        };
        let service = match server(app, kind, None) {
            Ok(s) => stoa_mcp::http_service(s, options(app)),
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "MCP server disabled");
                router = router.route(path, axum::routing::any(unavailable));
                continue;
            }
        };
        let service = tower::ServiceBuilder::new()
            .layer(axum::middleware::from_fn(transport_rules))
            .service(service);
        router = match kind {
            ServerKind::Store => router.nest_service(
                path,
                tower::ServiceBuilder::new()
                    .layer(axum::middleware::from_fn_with_state(
                        app.clone(),
                        discover_as_legacy,
                    ))
                    .service(service),
            ),
            ServerKind::Admin => router.nest_service(
                path,
                tower::ServiceBuilder::new()
                    .layer(axum::middleware::from_fn_with_state(
                        app.clone(),
                        staff_only,
                    ))
                    .service(service),
            ),
        };
    }
    router
}

/// `stoa mcp store|admin [--stdio]`.
pub async fn run_cli(config: Config, kind: McpServerKind, stdio: bool) -> anyhow::Result<()> {
    let kind = ServerKind::from(kind);
    if !stdio {
        bail!(
            "the HTTP transport is part of `stoa serve` (at /mcp/{}); pass --stdio to serve over standard input/output",
            kind.as_str()
        );
    }
    let db = Database::open(&config).await?;
    // Clients end a stdio server by closing its input, then with SIGTERM: either way the
    // embedded cluster (if this process started it) is stopped.
    let result = tokio::select! {
        r = serve_stdio(&config, &db, kind) => r,
        () = terminated() => {
            tracing::info!("MCP stdio server stopped by a signal");
            Ok(())
        }
    };
    db.close().await?;
    result
}

async fn terminated() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

async fn serve_stdio(config: &Config, db: &Database, kind: ServerKind) -> anyhow::Result<()> {
    if config.zero_config() {
        crate::database::migrate_up(&db.url).await?;
    }
    let pool = stoa_db::pool::build_pool(&pool_settings(config, &db.url))?;
    let app = App::new(config.clone(), pool)?;
    let authorization = std::env::var(AUTHORIZATION_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty());
    // Fail fast on a credential that cannot work.
    let principal = app
        .state
        .auth
        .authenticate(&app.state.pool, authorization.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("{AUTHORIZATION_ENV}: {}: {}", e.code, e.message))?;
    if kind == ServerKind::Admin && !principal.is_staff() {
        bail!(
            "the admin MCP server needs a staff credential: set {AUTHORIZATION_ENV} to `ApiKey ck_…` (a staff API key)"
        );
    }
    let server = server(&app, kind, authorization)?;
    tracing::info!(
        server = kind.as_str(),
        principal = principal.audit_type(),
        "MCP server on stdio"
    );
    stoa_mcp::serve_stdio(server)
        .await
        .map_err(|e| anyhow::anyhow!("MCP stdio: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_map_to_caller_kinds() {
        assert_eq!(caller_kind(&Principal::Anonymous), CallerKind::Anonymous);
        let key = Principal::StaffKey {
            key_id: uuid::Uuid::nil(),
            created_by: None,
            permissions: vec![],
        };
        assert_eq!(caller_kind(&key), CallerKind::Staff);
        let customer = Principal::CustomerKey {
            key_id: uuid::Uuid::nil(),
            customer_id: uuid::Uuid::nil(),
            permissions: vec![],
        };
        assert_eq!(caller_kind(&customer), CallerKind::Customer);
    }
}

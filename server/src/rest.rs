//! The REST compatibility layer (`/api/v1/*`): the `stoa-rest-compat` route table executed on
//! this server's schema, with this server's authentication, plus the health route, all behind
//! the reference's rate limits, Content-Type guard and CSRF check.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use stoa_resolvers::RequestMeta;
use stoa_resolvers::domain::auth::Principal;
use stoa_rest_compat::{AuthFailure, Authenticated, Caller, GuardConfig, RestAuth, RestContext};

use crate::app::App;
use crate::http::health;
use crate::http::middleware::{Peer, client_ip};

/// Resolves REST credentials with the same rules as `/graphql`.
struct ServerAuth {
    app: App,
}

impl ServerAuth {
    fn meta(&self, parts: &Parts) -> RequestMeta {
        RequestMeta {
            ip: self.client_ip(parts),
            channel: stoa_resolvers::state::Channel::Rest,
        }
    }

    fn attach(
        principal: Principal,
        meta: RequestMeta,
        lang: Option<String>,
        session: Option<String>,
    ) -> stoa_rest_compat::Attach {
        Box::new(move |req| {
            let req = req.data(principal).data(meta);
            let req = match session {
                Some(s) => req.data(stoa_resolvers::GuestSession(s)),
                None => req,
            };
            match lang {
                Some(l) => req.data(stoa_resolvers::AcceptLanguage(l)),
                None => req,
            }
        })
    }

    /// The guest cart identity (`X-Session-ID`).
    fn session(parts: &Parts) -> Option<String> {
        parts
            .headers
            .get("x-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    fn lang(parts: &Parts) -> Option<String> {
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

#[async_trait::async_trait]
impl RestAuth for ServerAuth {
    async fn authenticate(&self, parts: &Parts) -> Result<Authenticated, AuthFailure> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("\u{0}"));
        let principal = self
            .app
            .state
            .auth
            .authenticate(&self.app.state.pool, header)
            .await
            .map_err(|e| AuthFailure {
                code: e.code.as_str().to_owned(),
                message: e.message,
            })?;
        let caller = if principal.is_staff() {
            Caller::Staff
        } else if principal.customer_id().is_some() {
            Caller::Customer
        } else {
            Caller::Anonymous
        };
        Ok(Authenticated {
            caller,
            attach: Self::attach(
                principal,
                self.meta(parts),
                Self::lang(parts),
                Self::session(parts),
            ),
        })
    }

    fn anonymous(&self, parts: &Parts) -> Authenticated {
        Authenticated {
            caller: Caller::Anonymous,
            attach: Self::attach(
                Principal::Anonymous,
                self.meta(parts),
                Self::lang(parts),
                Self::session(parts),
            ),
        }
    }

    fn client_ip(&self, parts: &Parts) -> Option<IpAddr> {
        let peer = Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0),
        );
        client_ip(peer, &parts.headers, &self.app.trusted_proxies)
    }
}

/// The OpenAPI document of the REST layer (pretty JSON with a trailing newline), as checked
/// in at `schema/openapi.json`.
/// Core rows and the built-in plugins' rows.
pub async fn openapi_json() -> anyhow::Result<String> {
    let extensions = crate::plugins::Extensions::builtin()?;
    let doc = stoa_rest_compat::openapi::generate_with(
        &crate::schema::bare_schema(),
        env!("CARGO_PKG_VERSION"),
        &extensions.rest,
    )
    .await
    .map_err(|e| anyhow::anyhow!("OpenAPI generation failed: {e}"))?;
    Ok(format!("{}\n", serde_json::to_string_pretty(&doc)?))
}

async fn openapi_handler() -> axum::response::Response {
    use axum::response::IntoResponse;
    static DOC: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    match DOC.get_or_try_init(openapi_json).await {
        Ok(doc) => ([(header::CONTENT_TYPE, "application/json")], doc.clone()).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "OpenAPI document");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The `/api/v1` routes: health plus every row of the table, protected.
pub fn routes(app: &App) -> Router<App> {
    let auth: Arc<dyn RestAuth> = Arc::new(ServerAuth { app: app.clone() });
    let rows = stoa_rest_compat::router_with(
        RestContext {
            executor: app.schema.clone(),
            auth: auth.clone(),
            max_body_size: app.config.server.max_body_size,
            max_upload_size: app.config.server.max_upload_size,
            secure_cookies: app.config.security.csrf.secure,
        },
        &app.extensions.rest,
    );
    let health = Router::new()
        .route("/api/v1/health", get(health::health))
        .with_state(app.clone())
        .route("/api/v1/openapi.json", get(openapi_handler));
    let rl = &app.config.security.rate_limit;
    let rows = rows.layer(axum::middleware::from_fn_with_state(
        app.cache.clone(),
        crate::http::cache::layer,
    ));
    let guarded = stoa_rest_compat::protect(
        rows.merge(health),
        auth,
        GuardConfig {
            global_per_minute: rl.requests_per_minute,
            login_per_minute: rl.login.requests_per_minute,
            register_per_minute: rl.register.requests_per_minute,
            checkout_per_minute: rl.checkout.requests_per_minute,
            guest_order_per_minute: rl.guest_order.requests_per_minute,
            search_per_minute: rl.search.requests_per_minute,
            csrf_secure: app.config.security.csrf.secure,
        },
    );
    guarded.with_state(())
}

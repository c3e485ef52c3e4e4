//! The MCP server: one [`McpServer`] per kind (store, admin) holding the tool catalog, the
//! executor and the auth hook; one [`McpSession`] handler per MCP session holding the
//! session's sign-in. Transports: streamable HTTP ([`http_service`]) and stdio
//! ([`serve_stdio`]).

use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::{Executor, Request, Response, Variables};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ProtocolVersion, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value as Json};
use tokio_util::sync::CancellationToken;

use crate::args::to_variables;
use crate::auth::{CallContext, Caller, CallerKind, McpAuth};
use crate::catalog::{Catalog, CatalogError, PreparedOperation, ToolSpec};
use crate::error::ToolError;
use crate::output::{failure, success, unwrap_data};
use crate::sdl::SchemaIndex;
use crate::table::{ServerKind, SessionEffect, ToolRow};
use crate::tools;

const STORE_INSTRUCTIONS: &str = "Stoa store: the shop's storefront tools. Guests may call \
them without signing in. store_register creates a customer account; store_login signs this \
MCP session in, so later tools in the same session act as that customer (until store_logout \
or the end of the session); the tokens stay on the server. Prices are in cents (minor units: \
1999 = 19.99 EUR). Tax rates are in basis points (1900 = 19%). Errors read `CODE: message` \
(e.g. `INVALID_CREDENTIALS: invalid email or password`).";

const ADMIN_INSTRUCTIONS: &str = "Stoa admin: staff tools for running the shop (catalog, \
stock, media, audit log, store settings). Every call needs a staff user's access token or a \
staff API key (`Authorization: ApiKey ck_…`). Prices are in cents (minor units); tax rates \
in basis points (1900 = 19%). Catalog tools take `name`/`slug` for the store's default \
locale or `translations` keyed by locale. Errors read `CODE: message`; FORBIDDEN means the \
key or role lacks the permission. List tools summarise pages as `Page P of N (total: T)`.";

/// The protocol versions of the store server over streamable HTTP: those with sessions. Its
/// HTTP endpoint should answer `server/discover` (2026-07-28) like a server that predates it
/// (JSON-RPC "method not found"), so that clients fall back to `initialize`; rmcp itself would
/// answer "unsupported protocol version", after which some clients give up.
pub static STORE_HTTP_VERSIONS: &[ProtocolVersion] = &[
    ProtocolVersion::V_2024_11_05,
    ProtocolVersion::V_2025_03_26,
    ProtocolVersion::V_2025_06_18,
    ProtocolVersion::V_2025_11_25,
];

const SIGNED_IN: &str = "This MCP session is now signed in as this customer: later tools in \
this session act as them.";
const SIGNED_OUT: &str = "This MCP session is signed out: later tools act as a guest.";

struct Inner<E> {
    kind: ServerKind,
    executor: E,
    auth: Arc<dyn McpAuth>,
    schema: SchemaIndex,
    catalog: Catalog,
    /// The credential of every call that brings none (stdio: the process's credential).
    authorization: Option<String>,
    /// The store's default locale, read once (with [`tools::DEFAULT_LOCALE`]) when a call
    /// first needs it.
    default_locale: tokio::sync::OnceCell<String>,
}

/// An MCP server of one kind; cheap to clone.
pub struct McpServer<E> {
    inner: Arc<Inner<E>>,
}

impl<E> Clone for McpServer<E> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<E: Executor> McpServer<E> {
    /// Builds the server's tools from its table against the schema `sdl` (as printed by
    /// `Schema::sdl()`). `authorization` is used by calls without their own credential.
    pub fn new(
        kind: ServerKind,
        executor: E,
        sdl: &str,
        auth: Arc<dyn McpAuth>,
        authorization: Option<String>,
    ) -> Result<Self, CatalogError> {
        Self::with_rows(kind, tools::rows(kind), executor, sdl, auth, authorization)
    }

    /// [`McpServer::new`] with another table (the server passes the core rows followed by
    /// the plugins' rows).
    pub fn with_rows(
        kind: ServerKind,
        rows: impl IntoIterator<Item = &'static ToolRow>,
        executor: E,
        sdl: &str,
        auth: Arc<dyn McpAuth>,
        authorization: Option<String>,
    ) -> Result<Self, CatalogError> {
        let schema = SchemaIndex::parse(sdl).map_err(CatalogError)?;
        let catalog = Catalog::build(kind, rows, &schema)?;
        Ok(Self {
            inner: Arc::new(Inner {
                kind,
                executor,
                auth,
                schema,
                catalog,
                authorization,
                default_locale: tokio::sync::OnceCell::new(),
            }),
        })
    }

    /// The tools.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The schema index the tools were derived from.
    pub fn schema(&self) -> &SchemaIndex {
        &self.inner.schema
    }

    /// A handler for a new MCP session over a connection of its own (stdio, tests).
    pub fn session(&self) -> McpSession<E> {
        self.new_session(false)
    }

    fn new_session(&self, http: bool) -> McpSession<E> {
        McpSession {
            inner: self.inner.clone(),
            id: uuid::Uuid::new_v4().to_string(),
            http,
            bound: Mutex::new(None),
            renewing: tokio::sync::Mutex::new(()),
        }
    }
}

/// Tokens a session is signed in with.
#[derive(Clone)]
struct Bound {
    access: String,
    refresh: String,
    renew: PreparedOperation,
    access_field: &'static str,
    refresh_field: &'static str,
}

/// The handler of one MCP session.
pub struct McpSession<E> {
    inner: Arc<Inner<E>>,
    id: String,
    /// Served over streamable HTTP, where only protocol versions with sessions keep state
    /// between requests.
    http: bool,
    bound: Mutex<Option<Bound>>,
    /// Serialises token renewal: a refresh token is single-use.
    renewing: tokio::sync::Mutex<()>,
}

fn take_str(value: &mut Json, field: &str) -> Option<String> {
    match value.as_object_mut()?.remove(field)? {
        Json::String(s) => Some(s),
        _ => None,
    }
}

impl<E: Executor> McpSession<E> {
    fn bound(&self) -> Option<Bound> {
        self.bound
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn set_bound(&self, b: Option<Bound>) {
        *self
            .bound
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = b;
    }

    async fn execute(
        &self,
        caller: &Caller,
        op: &PreparedOperation,
        vars: Map<String, Json>,
    ) -> Response {
        let req = Request::new(op.source)
            .operation_name(op.name.as_str())
            .variables(Variables::from_json(Json::Object(vars)));
        self.inner.executor.execute(caller.attach(req)).await
    }

    /// The caller of this call: the session's sign-in, else the request's `Authorization`
    /// header, else the server's default credential, else a guest.
    async fn caller(&self, cx: &CallContext<'_>) -> Result<Caller, ToolError> {
        if let Some(b) = self.bound() {
            let header = format!("Bearer {}", b.access);
            return match self.inner.auth.authenticate(Some(&header), cx).await {
                Ok(c) => Ok(c),
                Err(e) if e.code == "TOKEN_EXPIRED" => self.renew(b, cx).await,
                Err(e) => {
                    self.set_bound(None);
                    Err(signed_out(e))
                }
            };
        }
        let header = match cx
            .http
            .and_then(|p| p.headers.get(http::header::AUTHORIZATION))
        {
            Some(v) => Some(v.to_str().map_err(|_| {
                ToolError::new("INVALID_TOKEN", "invalid authorization header format")
            })?),
            None => self.inner.authorization.as_deref(),
        };
        self.inner.auth.authenticate(header, cx).await
    }

    /// Renews an expired session token with the session's refresh token.
    async fn renew(&self, stale: Bound, cx: &CallContext<'_>) -> Result<Caller, ToolError> {
        let _guard = self.renewing.lock().await;
        let current = match self.bound() {
            // Another call renewed it meanwhile.
            Some(b) if b.access != stale.access => b,
            Some(b) => {
                let guest = self.inner.auth.authenticate(None, cx).await?;
                let mut vars = Map::new();
                vars.insert("refreshToken".into(), Json::from(b.refresh.as_str()));
                let resp = self.execute(&guest, &b.renew, vars).await;
                let tokens = if resp.errors.is_empty() {
                    resp.data
                        .into_json()
                        .ok()
                        .map(unwrap_data)
                        .and_then(|mut v| {
                            Some((
                                take_str(&mut v, b.access_field)?,
                                take_str(&mut v, b.refresh_field)?,
                            ))
                        })
                } else {
                    None
                };
                let Some((access, refresh)) = tokens else {
                    self.set_bound(None);
                    let e = ToolError::from_graphql(&resp.errors)
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| ToolError::new("TOKEN_EXPIRED", "token has expired"));
                    return Err(signed_out(e));
                };
                let renewed = Bound {
                    access,
                    refresh,
                    ..b
                };
                self.set_bound(Some(renewed.clone()));
                renewed
            }
            None => {
                return Err(signed_out(ToolError::new(
                    "TOKEN_EXPIRED",
                    "token has expired",
                )));
            }
        };
        let header = format!("Bearer {}", current.access);
        self.inner.auth.authenticate(Some(&header), cx).await
    }

    /// The store's default locale (`storeConfig.defaultLocale`, public, so read as a
    /// guest), cached for the server's lifetime.
    async fn default_locale(&self, cx: &CallContext<'_>) -> Result<String, ToolError> {
        self.inner
            .default_locale
            .get_or_try_init(|| async {
                let guest = self.inner.auth.authenticate(None, cx).await?;
                let (op, _) = crate::catalog::prepare(tools::DEFAULT_LOCALE).map_err(|e| {
                    tracing::error!(error = %e, "default locale operation");
                    ToolError::new("INTERNAL_ERROR", "an unexpected error occurred")
                })?;
                let resp = self.execute(&guest, &op, Map::new()).await;
                if let Some(e) = ToolError::from_graphql(&resp.errors).into_iter().next() {
                    return Err(e);
                }
                resp.data
                    .into_json()
                    .ok()
                    .and_then(|v| {
                        v.pointer("/storeConfig/defaultLocale")
                            .and_then(Json::as_str)
                            .map(str::to_owned)
                    })
                    .ok_or_else(|| {
                        tracing::error!("storeConfig.defaultLocale missing");
                        ToolError::new("INTERNAL_ERROR", "an unexpected error occurred")
                    })
            })
            .await
            .cloned()
    }

    /// Runs one tool call; every failure is a tool error.
    pub async fn call(
        &self,
        spec: &ToolSpec,
        args: Option<Map<String, Json>>,
        http: Option<&http::request::Parts>,
    ) -> CallToolResult {
        match self.try_call(spec, args, http).await {
            Ok(r) => r,
            Err(errors) => failure(&errors),
        }
    }

    async fn try_call(
        &self,
        spec: &ToolSpec,
        args: Option<Map<String, Json>>,
        http: Option<&http::request::Parts>,
    ) -> Result<CallToolResult, Vec<ToolError>> {
        let cx = CallContext {
            http,
            session_id: &self.id,
        };
        let locale = if spec.needs_default_locale(args.as_ref()) {
            Some(self.default_locale(&cx).await.map_err(|e| vec![e])?)
        } else {
            None
        };
        let mut vars =
            to_variables(spec, &self.inner.schema, args, locale.as_deref()).map_err(|e| vec![e])?;
        let caller = self.caller(&cx).await.map_err(|e| vec![e])?;
        if self.inner.kind == ServerKind::Admin {
            match caller.kind {
                CallerKind::Staff => {}
                CallerKind::Anonymous => return Err(vec![admin_needs_staff("UNAUTHENTICATED")]),
                CallerKind::Customer => return Err(vec![admin_needs_staff("FORBIDDEN")]),
            }
        }
        if let SessionEffect::SignOut { refresh_token_var } = spec.row.session
            && let Some(b) = self.bound()
        {
            vars.insert(refresh_token_var.to_owned(), Json::from(b.refresh));
        }
        let resp = self.execute(&caller, &spec.operation, vars).await;
        if !resp.errors.is_empty() {
            return Err(ToolError::from_graphql(&resp.errors));
        }
        let data = resp.data.into_json().map_err(|e| {
            tracing::error!(error = %e, tool = spec.row.name, "tool result is not JSON");
            vec![ToolError::new(
                "INTERNAL_ERROR",
                "an unexpected error occurred",
            )]
        })?;
        let mut value = unwrap_data(data);
        let note = match spec.row.session {
            SessionEffect::None => None,
            SessionEffect::SignIn {
                access_token,
                refresh_token,
                ..
            } => {
                let access = take_str(&mut value, access_token);
                let refresh = take_str(&mut value, refresh_token);
                match (access, refresh, spec.refresh.clone()) {
                    (Some(access), Some(refresh), Some(renew)) => {
                        self.set_bound(Some(Bound {
                            access,
                            refresh,
                            renew,
                            access_field: access_token,
                            refresh_field: refresh_token,
                        }));
                        Some(SIGNED_IN)
                    }
                    _ => {
                        tracing::error!(tool = spec.row.name, "sign-in result without tokens");
                        return Err(vec![ToolError::new(
                            "INTERNAL_ERROR",
                            "an unexpected error occurred",
                        )]);
                    }
                }
            }
            SessionEffect::SignOut { .. } => {
                self.set_bound(None);
                Some(SIGNED_OUT)
            }
        };
        Ok(success(value, note))
    }
}

fn signed_out(e: ToolError) -> ToolError {
    ToolError {
        message: format!(
            "{}; this MCP session is signed out, call store_login again",
            e.message
        ),
        ..e
    }
}

fn admin_needs_staff(code: &str) -> ToolError {
    ToolError::new(
        code,
        "the admin MCP server needs a staff user's access token or a staff API key \
         (Authorization: Bearer … or ApiKey ck_…)",
    )
}

impl<E: Executor> ServerHandler for McpSession<E> {
    fn get_info(&self) -> ServerConfig {
        let (name, instructions) = match self.inner.kind {
            ServerKind::Store => ("stoa-store", STORE_INSTRUCTIONS),
            ServerKind::Admin => ("stoa-admin", ADMIN_INSTRUCTIONS),
        };
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions(instructions);
        info.server_info = Implementation::new(name, env!("CARGO_PKG_VERSION"));
        info
    }

    /// The store server's sign-in lives in its MCP session. Over HTTP only the protocol
    /// versions with sessions (up to 2025-11-25) keep state between requests, so the store
    /// server speaks only those there (see [`STORE_HTTP_VERSIONS`]); over stdio the connection
    /// is the session. The admin server keeps no session state and speaks every version.
    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        if self.inner.kind == ServerKind::Store && self.http {
            Cow::Borrowed(STORE_HTTP_VERSIONS)
        } else {
            Cow::Borrowed(ProtocolVersion::KNOWN_VERSIONS)
        }
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.inner
                .catalog
                .tools()
                .iter()
                .map(|t| t.tool.clone())
                .collect(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(spec) = self.inner.catalog.get(&request.name).cloned() else {
            return Err(ErrorData::invalid_params(
                format!("unknown tool `{}`", request.name),
                None,
            ));
        };
        let http = context.extensions.get::<http::request::Parts>();
        Ok(self.call(&spec, request.arguments, http).await.into())
    }
}

/// Options of the streamable HTTP transport.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// `Host` values accepted; `None` accepts any (the server authenticates every call).
    pub allowed_hosts: Option<Vec<String>>,
    /// Browser origins accepted; requests with any other `Origin` header are refused.
    /// Requests without `Origin` (non-browser clients) pass.
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// An idle MCP session is closed after this long.
    pub session_idle: Duration,
    /// Cancelling it ends every session.
    pub shutdown: CancellationToken,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            allowed_hosts: None,
            allowed_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            session_idle: Duration::from_secs(60 * 60),
            shutdown: CancellationToken::new(),
        }
    }
}

/// The streamable HTTP service of a server (a tower service; mount it with
/// `nest_service`). One session handler per MCP session.
pub fn http_service<E: Executor>(
    server: McpServer<E>,
    opts: HttpOptions,
) -> StreamableHttpService<McpSession<E>, LocalSessionManager> {
    let mut config = StreamableHttpServerConfig::default()
        .with_max_request_body_bytes(opts.max_body_bytes)
        .with_cancellation_token(opts.shutdown)
        .with_allowed_origins(opts.allowed_origins)
        .enforce_origin_validation();
    config = match opts.allowed_hosts {
        Some(hosts) => config.with_allowed_hosts(hosts),
        None => config.disable_allowed_hosts(),
    };
    let mut sessions = LocalSessionManager::default();
    sessions.session_config.keep_alive = Some(opts.session_idle);
    StreamableHttpService::new(
        move || Ok(server.new_session(true)),
        Arc::new(sessions),
        config,
    )
}

/// Serves one session over standard input/output until the client closes it.
pub async fn serve_stdio<E: Executor>(
    server: McpServer<E>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let running = server.session().serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}

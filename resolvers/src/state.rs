//! What every resolver can reach: the pool and settings (schema data), and per request the
//! principal and the request's origin.

use std::net::IpAddr;
use std::sync::Arc;

use stoa_db::Pool;

use crate::domain::auth::AuthSettings;
use crate::domain::media::MediaStorage;
use crate::domain::secrets::ConfigCipher;

/// Locale settings (`i18n.*`).
#[derive(Debug, Clone)]
pub struct I18nSettings {
    pub default_locale: String,
    pub available_locales: Vec<String>,
}

/// Shared application state, attached to the schema once.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub auth: AuthSettings,
    pub i18n: I18nSettings,
    /// Where media bytes are stored (`media.storage`).
    pub media: Arc<dyn MediaStorage>,
    /// Seals and opens payment method configurations (`payment.encryption_key`).
    pub payment_cipher: Arc<ConfigCipher>,
    /// The started plugins and their hooks.
    pub plugins: stoa_plugin_sdk::Plugins,
    /// Committed domain events of every instance (fed by the server's listener).
    pub events: Arc<crate::events::EventBus>,
}

/// The surface a request came through (recorded in the audit log).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Channel {
    /// `/graphql` over HTTP or WebSocket.
    #[default]
    Graphql,
    /// The REST compatibility layer (`/api/v1`).
    Rest,
    /// An MCP tool call (an AI agent).
    Mcp,
}

impl Channel {
    /// `graphql`, `rest` or `mcp`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graphql => "graphql",
            Self::Rest => "rest",
            Self::Mcp => "mcp",
        }
    }
}

/// Facts about the request, attached per request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The client address (from the connection, or a trusted proxy's header).
    pub ip: Option<IpAddr>,
    /// The surface it came through.
    pub channel: Channel,
}

/// The guest identity the request presents for carts: the `X-Session-ID` header (REST,
/// GraphQL over HTTP) or the MCP session's id (store MCP tools), when there is one.
#[derive(Debug, Clone)]
pub struct GuestSession(pub String);

/// The request's `Accept-Language` header, when it had one.
#[derive(Debug, Clone)]
pub struct AcceptLanguage(pub String);

/// Limits of the GraphQL engine (`graphql.*`).
#[derive(Debug, Clone, Copy)]
pub struct GraphqlLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 2000,
            introspection: true,
        }
    }
}

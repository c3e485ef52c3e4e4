//! The authentication hook the server passes in: it turns an `Authorization` header value
//! into a caller that can attach itself (principal, request metadata) to a GraphQL request.

use std::sync::Arc;

use crate::error::ToolError;

/// What kind of principal a caller is; the admin server only serves `Staff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    Anonymous,
    /// A signed-in customer or a customer API key.
    Customer,
    /// A staff user or a staff API key.
    Staff,
}

type Attach = dyn Fn(async_graphql::Request) -> async_graphql::Request + Send + Sync;

/// An authenticated caller.
#[derive(Clone)]
pub struct Caller {
    pub kind: CallerKind,
    attach: Arc<Attach>,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller").field("kind", &self.kind).finish()
    }
}

impl Caller {
    /// A caller of `kind`; `attach` adds its data (principal, request metadata) to a request.
    pub fn new(
        kind: CallerKind,
        attach: impl Fn(async_graphql::Request) -> async_graphql::Request + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            attach: Arc::new(attach),
        }
    }

    /// The request with the caller's data.
    pub fn attach(&self, request: async_graphql::Request) -> async_graphql::Request {
        (self.attach)(request)
    }
}

/// Facts about the call that the hook may use.
#[derive(Debug, Clone, Copy)]
pub struct CallContext<'a> {
    /// The HTTP request of the call (streamable HTTP only): headers, and the server's own
    /// request extensions (e.g. the peer address).
    pub http: Option<&'a http::request::Parts>,
    /// The MCP session's id (random, one per session): the guest identity of the session,
    /// e.g. for guest carts.
    pub session_id: &'a str,
}

/// Authenticates callers of the MCP servers.
#[async_trait::async_trait]
pub trait McpAuth: Send + Sync + 'static {
    /// `authorization` is an `Authorization` header value (`Bearer …`, `ApiKey …`) or none
    /// for a guest. Errors carry Stoa's codes (`INVALID_TOKEN`, `TOKEN_EXPIRED`, …).
    async fn authenticate(
        &self,
        authorization: Option<&str>,
        cx: &CallContext<'_>,
    ) -> Result<Caller, ToolError>;
}

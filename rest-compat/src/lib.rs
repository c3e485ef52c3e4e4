//! The REST compatibility layer: `/api/v1` routes as rows of a table ([`routes::routes`]),
//! each running a named GraphQL operation in-process through [`async_graphql::Executor`] with
//! the caller's principal, then reshaping the result into the reference's envelope.
//!
//! The crate knows no concrete schema and no principal type: the server passes an
//! [`RestAuth`] that resolves credentials and attaches them to the GraphQL request.

pub mod bulk;
pub mod checkout;
pub mod errors;
pub mod executor;
pub mod extra;
pub mod guard;
pub mod openapi;
pub mod routes;
pub mod shape;
pub mod table;

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::request::Parts;

pub use executor::{router, router_with};
pub use extra::{RouteTable, RowError};
pub use guard::{GuardConfig, protect};

/// What kind of principal a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Staff,
    Customer,
}

/// Attaches the resolved principal (and request facts) to a GraphQL request.
pub type Attach = Box<dyn FnOnce(async_graphql::Request) -> async_graphql::Request + Send>;

/// A resolved caller.
pub struct Authenticated {
    pub caller: Caller,
    pub attach: Attach,
}

/// Why credentials were refused: a code of the GraphQL error set and its message.
#[derive(Debug, Clone)]
pub struct AuthFailure {
    pub code: String,
    pub message: String,
}

/// The server's credential resolver.
#[async_trait::async_trait]
pub trait RestAuth: Send + Sync + 'static {
    /// Resolves the `Authorization` header of the request (anonymous when there is none).
    async fn authenticate(&self, parts: &Parts) -> Result<Authenticated, AuthFailure>;
    /// An anonymous caller for this request (still carrying the client address).
    fn anonymous(&self, parts: &Parts) -> Authenticated;
    /// The client address used for rate limits.
    fn client_ip(&self, parts: &Parts) -> Option<IpAddr>;
}

/// Shared by every handler.
pub struct RestContext<E> {
    pub executor: E,
    pub auth: Arc<dyn RestAuth>,
    pub max_body_size: usize,
    /// The limit of `multipart/form-data` bodies (`server.max_upload_size`).
    pub max_upload_size: usize,
    /// Cookies set by rows ([`table::ResultCookie`]) carry `Secure` (`security.csrf.secure`).
    pub secure_cookies: bool,
}

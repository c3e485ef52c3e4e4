//! Authentication and authorisation: passwords, tokens, API keys, principals, permissions.

pub mod api_keys;
pub mod password;
pub mod permissions;
pub mod principal;
pub mod service;
pub mod tokens;

pub use permissions::{Permission, Role};
pub use principal::Principal;
pub use service::{AuthSettings, TokenPair};

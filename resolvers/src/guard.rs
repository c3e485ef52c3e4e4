//! Permission guards: every admin field names the permission it needs, every customer field
//! needs a customer principal. The reference defines permissions but never checks them.

use async_graphql::{Context, Guard, Result};

use crate::domain::auth::{Permission, Principal};
use crate::error::{ApiError, ErrorCode};

/// The principal of the current request (anonymous when none was attached).
pub fn principal<'a>(ctx: &'a Context<'_>) -> &'a Principal {
    static ANON: Principal = Principal::Anonymous;
    ctx.data_opt::<Principal>().unwrap_or(&ANON)
}

fn deny(p: &Principal) -> async_graphql::Error {
    if matches!(p, Principal::Anonymous) {
        ApiError::new(ErrorCode::Unauthenticated).into()
    } else {
        ApiError::new(ErrorCode::Forbidden).into()
    }
}

/// A staff principal (user or `ck_` key) holding the permission.
pub struct StaffGuard(pub Permission);

impl Guard for StaffGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let p = principal(ctx);
        if p.is_staff() && p.has(self.0) {
            Ok(())
        } else {
            Err(deny(p))
        }
    }
}

/// A customer principal (JWT or `sk_` key) holding the permission.
pub struct CustomerGuard(pub Permission);

impl Guard for CustomerGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let p = principal(ctx);
        if p.customer_id().is_some() && p.has(self.0) {
            Ok(())
        } else {
            Err(deny(p))
        }
    }
}

/// Any signed-in principal.
pub struct SignedInGuard;

impl Guard for SignedInGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let p = principal(ctx);
        if matches!(p, Principal::Anonymous) {
            Err(deny(p))
        } else {
            Ok(())
        }
    }
}

/// For HTTP routes outside GraphQL (plugin routes): authenticates the `Authorization` header
/// value like `/graphql` does and requires a staff principal holding `permission`.
/// `UNAUTHENTICATED` without credentials, `FORBIDDEN` for others; map the error with
/// [`ErrorCode::http_status`] and answer in the Stoa envelope.
pub async fn authorize_staff(
    state: &crate::state::AppState,
    authorization: Option<&str>,
    permission: Permission,
) -> std::result::Result<Principal, ApiError> {
    let p = state.auth.authenticate(&state.pool, authorization).await?;
    if p.is_staff() && p.has(permission) {
        Ok(p)
    } else if matches!(p, Principal::Anonymous) {
        Err(ApiError::new(ErrorCode::Unauthenticated))
    } else {
        Err(ApiError::new(ErrorCode::Forbidden))
    }
}

//! Login, token refresh, logout and registration.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use crate::account::CustomerAccount;
use crate::domain::auth::TokenPair;
use crate::guard::principal;
use crate::state::AppState;
use stoa_plugin_sdk::{HookEvent, hooks as hk};

/// Tokens returned by `login` and `refreshToken`.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Single-use token for `refreshToken`; rotating it revokes the old one.
    pub refresh_token: String,
    /// Seconds until the access token expires (`auth.access_token_ttl`).
    pub expires_in: i64,
    /// Always `Bearer`.
    pub token_type: String,
}

impl From<TokenPair> for AuthPayload {
    fn from(p: TokenPair) -> Self {
        Self {
            access_token: p.access_token,
            refresh_token: p.refresh_token,
            expires_in: p.expires_in,
            token_type: "Bearer".into(),
        }
    }
}

/// Input of `register`.
#[derive(InputObject)]
pub struct RegisterInput {
    /// The customer's email (trimmed, lower-cased, unique).
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// Authentication mutations.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs a staff user or a customer in (staff wins when both share the email). Five
    /// failures lock the email for `security.brute_force.lock_duration` on every instance.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<AuthPayload> {
        let s = ctx.data_unchecked::<AppState>();
        Ok(s.auth.login(&s.pool, &email, &password).await?.into())
    }

    /// Exchanges a refresh token for a new pair. Presenting a used refresh token revokes its
    /// whole family (`TOKEN_REUSED`).
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> Result<AuthPayload> {
        let s = ctx.data_unchecked::<AppState>();
        Ok(s.auth.refresh(&s.pool, &refresh_token).await?.into())
    }

    /// Revokes the caller's access token on every instance, and the refresh family of the
    /// given refresh token (or every refresh token of the caller). Always succeeds.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: Option<String>) -> Result<bool> {
        let s = ctx.data_unchecked::<AppState>();
        s.auth
            .logout(&s.pool, principal(ctx), refresh_token.as_deref())
            .await?;
        Ok(true)
    }

    /// Creates a customer account.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<CustomerAccount> {
        let s = ctx.data_unchecked::<AppState>();
        let hooks = crate::hooks::registry(ctx);
        let c = s
            .auth
            .register(
                &s.pool,
                hooks,
                &input.email,
                &input.password,
                input.first_name.as_deref(),
                input.last_name.as_deref(),
            )
            .await?;
        let c = CustomerAccount::from(c);
        crate::hooks::after(hooks, hk::CUSTOMER_AFTER_CREATE, || {
            HookEvent::new(hk::CUSTOMER_AFTER_CREATE, crate::hooks::snapshot(&c))
        })
        .await;
        Ok(c)
    }
}

//! The authentication use cases: login, refresh, logout, register, and resolving credentials
//! into a [`Principal`].

use std::time::Duration;

use chrono::Utc;
use stoa_db::models::{
    AdminUser, ApiKey, Customer, LoginAttempts, NewCustomer, RefreshToken, RevokedAccessToken,
};
use stoa_db::{AsyncPgConnection, Pool, pool};
use uuid::Uuid;

use super::permissions::{Permission, Role};
use super::principal::{Principal, TokenRef};
use super::tokens::{Claims, TokenCodec, TokenType, UserType};
use super::{api_keys, password};
use crate::error::{ApiError, ApiResult, ErrorCode};
use stoa_plugin_sdk::{HookEvent, HookRegistry, hooks as hk};

/// Auth configuration (from `auth.*` and `security.brute_force.*`).
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub codec: TokenCodec,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub max_attempts: i32,
    pub lock_duration: Duration,
}

/// An access token and its refresh token.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

/// Normalises an email the way the reference does (trim, lowercase).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A cheap but honest email shape check.
pub fn validate_email(email: &str, field: &str) -> ApiResult<()> {
    let ok = email.len() <= 255
        && email.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "must be a valid email address"))
    }
}

/// Maps a unique violation on a customer's email to `CONFLICT` on the `email` field.
pub fn email_conflict(e: stoa_db::DbError) -> ApiError {
    match ApiError::from(e) {
        e if e.code == ErrorCode::Conflict => ApiError {
            field: Some("email".into()),
            ..ApiError::with_message(ErrorCode::Conflict, "email is already registered")
        },
        e => e,
    }
}

async fn conn(pool: &Pool) -> ApiResult<stoa_db::Conn> {
    Ok(pool::conn(pool).await?)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Someone who can log in.
struct Account {
    id: Uuid,
    email: String,
    password_hash: String,
    active: bool,
    utype: UserType,
    role: Role,
}

impl AuthSettings {
    fn issue(
        &self,
        account_id: Uuid,
        email: &str,
        utype: UserType,
        role: Role,
        family: Uuid,
    ) -> ApiResult<(TokenPair, Claims)> {
        let now = Utc::now().timestamp();
        let access = Claims {
            jti: Uuid::now_v7(),
            iat: now,
            nbf: now,
            exp: now + secs(self.access_ttl),
            uid: account_id,
            email: email.to_owned(),
            utype,
            role: role.as_str().to_owned(),
            token_type: TokenType::Access,
            fam: None,
        };
        let refresh = Claims {
            jti: Uuid::now_v7(),
            exp: now + secs(self.refresh_ttl),
            token_type: TokenType::Refresh,
            fam: Some(family),
            ..access.clone()
        };
        let pair = TokenPair {
            access_token: self.codec.sign(&access)?,
            refresh_token: self.codec.sign(&refresh)?,
            expires_in: secs(self.access_ttl),
        };
        Ok((pair, refresh))
    }

    async fn store_refresh(&self, c: &mut AsyncPgConnection, claims: &Claims) -> ApiResult<()> {
        RefreshToken::insert(
            c,
            &RefreshToken {
                id: Uuid::now_v7(),
                token_id: claims.jti,
                user_id: claims.uid,
                user_type: claims.utype.as_str().to_owned(),
                family_id: claims.fam.unwrap_or(claims.jti),
                revoked: false,
                expires_at: claims.expires_at(),
                created_at: Utc::now(),
            },
        )
        .await?;
        Ok(())
    }

    /// Staff and customers share the login; staff wins on the same email. Failures count
    /// towards a lockout shared by every instance; unknown emails cost the same time.
    pub async fn login(&self, pool: &Pool, email: &str, password_in: &str) -> ApiResult<TokenPair> {
        let email = normalize_email(email);
        if email.is_empty() || password_in.is_empty() {
            return Err(ApiError::with_message(
                ErrorCode::ValidationError,
                "email and password are required",
            ));
        }
        let mut c = conn(pool).await?;
        let now = Utc::now();
        if let Some(until) = LoginAttempts::locked_until(&mut c, &email, now).await? {
            let secs = u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1);
            return Err(ApiError::new(ErrorCode::AccountLocked).retry_after(secs));
        }
        let account = match AdminUser::by_email(&mut c, &email).await? {
            Some(a) => Some(Account {
                id: a.id,
                email: a.email,
                password_hash: a.password_hash,
                active: a.active,
                utype: UserType::Admin,
                role: Role::parse(&a.role).unwrap_or(Role::Manager),
            }),
            None => Customer::by_email(&mut c, &email).await?.map(|cu| Account {
                id: cu.id,
                email: cu.email,
                password_hash: cu.password_hash,
                active: cu.active,
                utype: UserType::Customer,
                role: Role::Customer,
            }),
        };
        drop(c);
        let hash = account.as_ref().map_or_else(
            || password::DUMMY_HASH.to_owned(),
            |a| a.password_hash.clone(),
        );
        let ok = password::verify(password_in.to_owned(), hash).await?;
        let mut c = conn(pool).await?;
        let Some(account) = account.filter(|_| ok) else {
            let lock = chrono::Duration::from_std(self.lock_duration)
                .unwrap_or(chrono::Duration::hours(1));
            if let Some(until) =
                LoginAttempts::record_failure(&mut c, &email, self.max_attempts, now, lock).await?
            {
                tracing::warn!("login locked after repeated failures");
                let secs = u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1);
                return Err(ApiError::new(ErrorCode::AccountLocked).retry_after(secs));
            }
            return Err(ApiError::new(ErrorCode::InvalidCredentials));
        };
        if !account.active {
            return Err(ApiError::new(ErrorCode::AccountDisabled));
        }
        LoginAttempts::reset(&mut c, &email).await?;
        if account.utype == UserType::Admin {
            AdminUser::touch_login(&mut c, account.id).await?;
        }
        let (pair, refresh) = self.issue(
            account.id,
            &account.email,
            account.utype,
            account.role,
            Uuid::now_v7(),
        )?;
        self.store_refresh(&mut c, &refresh).await?;
        Ok(pair)
    }

    /// Rotates a refresh token. A token presented twice revokes its whole family.
    pub async fn refresh(&self, pool: &Pool, token: &str) -> ApiResult<TokenPair> {
        let claims = self
            .codec
            .verify(token, TokenType::Refresh)
            .map_err(|e| match e.code {
                ErrorCode::TokenExpired => e,
                _ => ApiError::with_message(ErrorCode::InvalidToken, "invalid refresh token"),
            })?;
        let mut c = conn(pool).await?;
        let this = self;
        use stoa_db::diesel_async::AsyncConnection;
        {
            c.transaction::<_, ApiError, _>(async move |tx| {
                let Some(row) = RefreshToken::for_update(tx, claims.jti).await? else {
                    return Ok(Err(ApiError::with_message(
                        ErrorCode::InvalidToken,
                        "refresh token is invalid",
                    )));
                };
                if row.revoked {
                    RefreshToken::revoke_family(tx, row.family_id).await?;
                    return Ok(Err(ApiError::new(ErrorCode::TokenReused)));
                }
                RefreshToken::revoke(tx, row.token_id).await?;
                let role = Role::parse(&claims.role).unwrap_or(Role::Customer);
                let account_active = match claims.utype {
                    UserType::Admin => AdminUser::by_id(tx, claims.uid).await?.map(|a| a.active),
                    UserType::Customer => Customer::by_id(tx, claims.uid).await?.map(|c| c.active),
                };
                match account_active {
                    None => {
                        return Ok(Err(ApiError::with_message(
                            ErrorCode::InvalidToken,
                            "refresh token is invalid",
                        )));
                    }
                    Some(false) => return Ok(Err(ApiError::new(ErrorCode::AccountDisabled))),
                    Some(true) => {}
                }
                let (pair, next) =
                    this.issue(claims.uid, &claims.email, claims.utype, role, row.family_id)?;
                this.store_refresh(tx, &next).await?;
                Ok(Ok(pair))
            })
            .await?
        }
    }

    /// Revokes the presented access token (for every instance) and the refresh family of the
    /// given refresh token, or every refresh token of the access token's user.
    pub async fn logout(
        &self,
        pool: &Pool,
        principal: &Principal,
        refresh_token: Option<&str>,
    ) -> ApiResult<()> {
        let mut c = conn(pool).await?;
        let (token, user) = match principal {
            Principal::Staff { token, user_id, .. } => (Some(token), Some(*user_id)),
            Principal::Customer {
                token, customer_id, ..
            } => (Some(token), Some(*customer_id)),
            _ => (None, None),
        };
        if let Some(t) = token {
            use stoa_db::diesel_async::AsyncConnection;
            let (jti, expires_at) = (t.jti, t.expires_at);
            c.transaction::<_, ApiError, _>(async move |tx| {
                RevokedAccessToken::revoke(tx, jti, expires_at).await?;
                // Heard by every instance: subscriptions running with this token end.
                stoa_db::models::orders::DomainEvent::record(
                    tx,
                    crate::events::TOKEN_REVOKED,
                    Some(jti),
                    None,
                    serde_json::json!({ "expires_at": expires_at }),
                )
                .await?;
                Ok(())
            })
            .await?;
        }
        let refresh = refresh_token.and_then(|r| self.codec.verify(r, TokenType::Refresh).ok());
        match (refresh, user) {
            // A refresh token only counts when it belongs to the caller (or there is no caller).
            (Some(r), u) if u.is_none_or(|u| u == r.uid) => {
                RefreshToken::revoke_family(&mut c, r.fam.unwrap_or(r.jti)).await?;
            }
            (_, Some(u)) => {
                RefreshToken::revoke_user(&mut c, u).await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Registers a customer once the `customer.before_create` hook accepted (the caller runs
    /// `customer.after_create` with the account it shows).
    pub async fn register(
        &self,
        pool: &Pool,
        hooks: &HookRegistry,
        email: &str,
        password_in: &str,
        first_name: Option<&str>,
        last_name: Option<&str>,
    ) -> ApiResult<Customer> {
        let email = normalize_email(email);
        validate_email(&email, "email")?;
        password::validate_new(password_in, "password")?;
        for (field, v) in [("firstName", first_name), ("lastName", last_name)] {
            if v.is_some_and(|v| v.chars().count() > 100) {
                return Err(ApiError::invalid(field, "must be at most 100 characters"));
            }
        }
        crate::hooks::before(hooks, hk::CUSTOMER_BEFORE_CREATE, || {
            HookEvent::new(
                hk::CUSTOMER_BEFORE_CREATE,
                serde_json::json!({ "email": email, "firstName": first_name,
                    "lastName": last_name, "active": true }),
            )
        })
        .await?;
        let hash = password::hash(password_in.to_owned()).await?;
        let mut c = conn(pool).await?;
        let new = NewCustomer {
            id: Uuid::now_v7(),
            email: &email,
            password_hash: &hash,
            first_name,
            last_name,
        };
        Customer::create(&mut c, new).await.map_err(email_conflict)
    }

    /// Resolves an `Authorization` header value into a principal.
    pub async fn authenticate(&self, pool: &Pool, header: Option<&str>) -> ApiResult<Principal> {
        let Some(header) = header.map(str::trim).filter(|h| !h.is_empty()) else {
            return Ok(Principal::Anonymous);
        };
        let Some((scheme, value)) = header.split_once(' ') else {
            return Err(ApiError::with_message(
                ErrorCode::InvalidToken,
                "invalid authorization header format",
            ));
        };
        let value = value.trim();
        match scheme.to_ascii_lowercase().as_str() {
            "bearer" => self.principal_from_jwt(pool, value).await,
            "apikey" => self.principal_from_key(pool, value).await,
            _ => Err(ApiError::with_message(
                ErrorCode::InvalidToken,
                "unsupported authorization scheme",
            )),
        }
    }

    async fn principal_from_jwt(&self, pool: &Pool, token: &str) -> ApiResult<Principal> {
        let claims = self.codec.verify(token, TokenType::Access)?;
        let mut c = conn(pool).await?;
        if RevokedAccessToken::is_revoked(&mut c, claims.jti).await? {
            return Err(ApiError::new(ErrorCode::TokenRevoked));
        }
        let token = TokenRef {
            jti: claims.jti,
            expires_at: claims.expires_at(),
        };
        Ok(match claims.utype {
            UserType::Admin => Principal::Staff {
                user_id: claims.uid,
                email: claims.email,
                role: Role::parse(&claims.role)
                    .filter(|r| r.is_staff())
                    .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken))?,
                token,
            },
            UserType::Customer => Principal::Customer {
                customer_id: claims.uid,
                email: claims.email,
                token,
            },
        })
    }

    async fn principal_from_key(&self, pool: &Pool, key: &str) -> ApiResult<Principal> {
        if !(key.starts_with(api_keys::STAFF_PREFIX) || key.starts_with(api_keys::CUSTOMER_PREFIX))
        {
            return Err(ApiError::new(ErrorCode::InvalidApiKey));
        }
        let mut c = conn(pool).await?;
        let Some(row) = ApiKey::active_by_hash(&mut c, &api_keys::hash(key)).await? else {
            return Err(ApiError::new(ErrorCode::InvalidApiKey));
        };
        ApiKey::touch_used(&mut c, row.id).await?;
        let permissions: Vec<Permission> = row
            .permission_list()
            .iter()
            .filter_map(|p| Permission::parse(p))
            .collect();
        match (row.key_type.as_str(), row.customer_id) {
            ("store", Some(customer_id)) => {
                let active = Customer::by_id(&mut c, customer_id)
                    .await?
                    .is_some_and(|cu| cu.active);
                if !active {
                    return Err(ApiError::new(ErrorCode::InvalidApiKey));
                }
                Ok(Principal::CustomerKey {
                    key_id: row.id,
                    customer_id,
                    permissions,
                })
            }
            ("admin", _) => {
                if let Some(by) = row.created_by {
                    let active = AdminUser::by_id(&mut c, by)
                        .await?
                        .is_some_and(|a| a.active);
                    if !active {
                        return Err(ApiError::new(ErrorCode::InvalidApiKey));
                    }
                }
                Ok(Principal::StaffKey {
                    key_id: row.id,
                    created_by: row.created_by,
                    permissions,
                })
            }
            _ => Err(ApiError::new(ErrorCode::InvalidApiKey)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalize_email("  Ann@Example.COM "), "ann@example.com");
        assert!(validate_email("ann@example.com", "email").is_ok());
        for bad in [
            "",
            "ann",
            "@example.com",
            "ann@",
            "ann@example",
            "a nn@example.com",
        ] {
            assert!(validate_email(bad, "email").is_err(), "{bad}");
        }
    }
}

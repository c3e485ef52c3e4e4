//! API keys: `ck_…` for staff integrations (`api_keys.manage`), `sk_…` for customers.
//! The raw key is returned once, at creation.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::{ApiKey, NewApiKey};
use stoa_db::pool;
use uuid::Uuid;

use crate::audit;
use crate::domain::auth::api_keys::{
    CUSTOMER_KEY_LIMIT, CUSTOMER_PREFIX, STAFF_KEY_LIMIT, STAFF_PREFIX, generate, hash,
};
use crate::domain::auth::{Permission, Principal, Role};
use crate::error::{ApiError, ErrorCode};
use crate::guard::{CustomerGuard, StaffGuard, principal};
use crate::state::AppState;

/// Whose key it is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyType {
    /// A staff integration key (`ck_…`).
    Admin,
    /// A customer key (`sk_…`).
    Store,
}

/// A stored API key (never the secret).
#[derive(SimpleObject)]
pub struct ApiKeyInfo {
    pub id: Uuid,
    pub name: String,
    pub key_type: ApiKeyType,
    pub permissions: Vec<String>,
    pub active: bool,
    pub created_by: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ApiKey> for ApiKeyInfo {
    fn from(k: ApiKey) -> Self {
        Self {
            permissions: k.permission_list(),
            id: k.id,
            name: k.name,
            key_type: if k.key_type == "store" {
                ApiKeyType::Store
            } else {
                ApiKeyType::Admin
            },
            active: k.active,
            created_by: k.created_by,
            customer_id: k.customer_id,
            last_used_at: k.last_used_at,
            created_at: k.created_at,
        }
    }
}

/// A key just created: `key` is shown this once.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// The secret, to send as `Authorization: ApiKey <key>`. Not retrievable later.
    pub key: String,
    pub api_key: ApiKeyInfo,
}

/// Input of `createApiKey` and `createStoreApiKey`.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    pub name: String,
    /// Permission strings; for store keys, empty means all six `store.*` permissions.
    #[graphql(default)]
    pub permissions: Vec<String>,
}

fn parse_perms(list: &[String], store: bool) -> Result<Vec<Permission>, ApiError> {
    let mut out = Vec::with_capacity(list.len());
    for s in list {
        match Permission::parse(s) {
            Some(p) if p.is_store() == store => {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            _ if store => {
                return Err(ApiError::invalid(
                    "permissions",
                    format!("invalid store permission: {s}"),
                ));
            }
            _ => {
                return Err(ApiError::invalid(
                    "permissions",
                    format!("unknown permission: {s}"),
                ));
            }
        }
    }
    Ok(out)
}

fn check_name(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "name",
            "name is required (at most 255 characters)",
        ));
    }
    Ok(name.to_owned())
}

/// Who a new key belongs to.
enum KeyOwner {
    Staff(Option<Uuid>),
    Customer(Uuid),
}

/// Generates a key, stores its hash within the owner's limit, and returns the secret once.
async fn mint(
    c: &mut stoa_db::AsyncPgConnection,
    name: &str,
    perms: &[Permission],
    owner: KeyOwner,
) -> Result<(String, ApiKey), ApiError> {
    let (prefix, limit, key_type, created_by, customer_id, full) = match owner {
        KeyOwner::Staff(by) => (
            STAFF_PREFIX,
            STAFF_KEY_LIMIT,
            "admin",
            by,
            None,
            "maximum of 10 active API keys per user reached",
        ),
        KeyOwner::Customer(id) => (
            CUSTOMER_PREFIX,
            CUSTOMER_KEY_LIMIT,
            "store",
            None,
            Some(id),
            "maximum of 5 active store API keys reached",
        ),
    };
    let key = generate(prefix)?;
    let key_hash = hash(&key);
    let new = NewApiKey {
        id: Uuid::now_v7(),
        name,
        key_hash: &key_hash,
        permissions: perms.iter().map(|p| Some(p.as_str().to_owned())).collect(),
        created_by,
        key_type,
        customer_id,
    };
    let row = ApiKey::create_within_limit(c, new, limit)
        .await?
        .ok_or_else(|| ApiError::with_message(ErrorCode::LimitExceeded, full))?;
    Ok((key, row))
}

/// API key queries.
#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// Staff keys: all of them for super admins and admins, one's own otherwise.
    #[graphql(guard = "StaffGuard(Permission::ApiKeysManage)")]
    async fn api_keys(&self, ctx: &Context<'_>) -> Result<Vec<ApiKeyInfo>> {
        let s = ctx.data_unchecked::<AppState>();
        let p = principal(ctx);
        let sees_all = matches!(
            p,
            Principal::Staff {
                role: Role::SuperAdmin | Role::Admin,
                ..
            }
        );
        let owner = if sees_all {
            None
        } else {
            Some(
                p.staff_user_id()
                    .ok_or_else(|| ApiError::new(ErrorCode::Forbidden))?,
            )
        };
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        Ok(ApiKey::list_admin(&mut c, owner)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The signed-in customer's keys.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountRead)")]
    async fn store_api_keys(&self, ctx: &Context<'_>) -> Result<Vec<ApiKeyInfo>> {
        let s = ctx.data_unchecked::<AppState>();
        let id = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        Ok(ApiKey::list_for_customer(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// API key mutations.
#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates a staff key. A caller may only grant permissions it holds itself; at most 10
    /// active keys per staff user (`LIMIT_EXCEEDED`).
    #[graphql(guard = "StaffGuard(Permission::ApiKeysManage)")]
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> Result<CreatedApiKey> {
        let s = ctx.data_unchecked::<AppState>();
        let p = principal(ctx);
        let name = check_name(&input.name)?;
        let perms = parse_perms(&input.permissions, false)?;
        if perms.is_empty() {
            return Err(
                ApiError::invalid("permissions", "at least one permission is required").into(),
            );
        }
        if let Some(over) = perms.iter().find(|x| !p.has(**x)) {
            return Err(ApiError::with_message(
                ErrorCode::Forbidden,
                format!("permission {over} exceeds your role"),
            )
            .into());
        }
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let owner = KeyOwner::Staff(p.staff_user_id());
        let (key, row) = mint(&mut c, &name, &perms, owner).await?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "api_key",
            Some(row.id),
            serde_json::json!({ "name": row.name, "permissions": row.permission_list() }),
        )
        .await?;
        Ok(CreatedApiKey {
            key,
            api_key: row.into(),
        })
    }

    /// Revokes a staff key. Managers may revoke only their own keys.
    #[graphql(guard = "StaffGuard(Permission::ApiKeysManage)")]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let s = ctx.data_unchecked::<AppState>();
        let p = principal(ctx);
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let key = ApiKey::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .filter(|k| k.key_type == "admin");
        let sees_all = matches!(
            p,
            Principal::Staff {
                role: Role::SuperAdmin | Role::Admin,
                ..
            }
        );
        let Some(key) = key
            .filter(|k| sees_all || (k.created_by.is_some() && k.created_by == p.staff_user_id()))
        else {
            return Err(ApiError::with_message(ErrorCode::NotFound, "API key not found").into());
        };
        if !revoke_key(&mut c, key.id).await? {
            return Err(ApiError::with_message(ErrorCode::NotFound, "API key not found").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "api_key",
            Some(key.id),
            serde_json::json!({ "active": [true, false] }),
        )
        .await?;
        Ok(true)
    }

    /// Creates a key for the signed-in customer (at most 5 active). Empty permissions grant
    /// all six `store.*` permissions the caller holds.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn create_store_api_key(
        &self,
        ctx: &Context<'_>,
        input: CreateApiKeyInput,
    ) -> Result<CreatedApiKey> {
        let s = ctx.data_unchecked::<AppState>();
        let p = principal(ctx);
        let customer_id = p
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let name = check_name(&input.name)?;
        let mut perms = parse_perms(&input.permissions, true)?;
        if perms.is_empty() {
            perms = Permission::STORE
                .into_iter()
                .filter(|x| p.has(*x))
                .collect();
        }
        if let Some(over) = perms.iter().find(|x| !p.has(**x)) {
            return Err(ApiError::with_message(
                ErrorCode::Forbidden,
                format!("permission {over} exceeds your own"),
            )
            .into());
        }
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let (key, row) = mint(&mut c, &name, &perms, KeyOwner::Customer(customer_id)).await?;
        Ok(CreatedApiKey {
            key,
            api_key: row.into(),
        })
    }

    /// Revokes one of the signed-in customer's keys.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn revoke_store_api_key(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let s = ctx.data_unchecked::<AppState>();
        let customer_id = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let owned = ApiKey::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .is_some_and(|k| k.customer_id == Some(customer_id));
        if !owned || !revoke_key(&mut c, id).await? {
            return Err(ApiError::with_message(ErrorCode::NotFound, "API key not found").into());
        }
        Ok(true)
    }
}

/// How long every instance remembers a revoked key for the subscriptions it authorized
/// (their connections rarely live longer; a new connection is refused by the database).
const REVOKED_KEY_MEMORY: chrono::Duration = chrono::Duration::days(30);

/// Deactivates a key and, in the same transaction, records `auth.token_revoked` for it, so
/// that every instance ends the subscriptions the key authorized. False when it was not
/// active.
async fn revoke_key(
    c: &mut stoa_db::diesel_async::AsyncPgConnection,
    id: Uuid,
) -> Result<bool, ApiError> {
    use stoa_db::diesel_async::AsyncConnection;
    c.transaction::<_, ApiError, _>(async move |tx| {
        if !ApiKey::revoke(tx, id).await? {
            return Ok(false);
        }
        stoa_db::models::orders::DomainEvent::record(
            tx,
            crate::events::TOKEN_REVOKED,
            Some(id),
            None,
            serde_json::json!({ "expires_at": chrono::Utc::now() + REVOKED_KEY_MEMORY }),
        )
        .await?;
        Ok(true)
    })
    .await
}

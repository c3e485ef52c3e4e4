//! The signed-in principal (`me`) and the customer's own account.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::{AdminUser, Customer, CustomerChanges};
use stoa_db::pool;
use uuid::Uuid;

use crate::domain::auth::service::{email_conflict, normalize_email, validate_email};
use crate::domain::auth::{Permission, Principal, Role, password};
use crate::error::{ApiError, ErrorCode};
use crate::guard::{CustomerGuard, principal};
use crate::state::AppState;
use stoa_plugin_sdk::hooks as hk;

/// How the caller is authenticated.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKind {
    Staff,
    Customer,
    StaffApiKey,
    CustomerApiKey,
}

/// The signed-in principal.
#[derive(SimpleObject)]
pub struct Viewer {
    pub kind: ViewerKind,
    /// The staff user's or customer's id (a staff key without creator: the key's id).
    pub id: Uuid,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<Role>,
    /// The key's id when authenticated with an API key.
    pub api_key_id: Option<Uuid>,
    /// The permissions in force for this principal.
    pub permissions: Vec<String>,
}

/// A customer's account (`addresses` and `customFields`: `crate::commerce::customers`).
#[derive(SimpleObject, serde::Serialize)]
#[graphql(name = "Customer", complex)]
#[serde(rename_all = "camelCase")]
pub struct CustomerAccount {
    pub id: Uuid,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub active: bool,
    pub default_billing_address_id: Option<Uuid>,
    pub default_shipping_address_id: Option<Uuid>,
    #[graphql(skip)]
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Customer> for CustomerAccount {
    fn from(c: Customer) -> Self {
        Self {
            id: c.id,
            email: c.email,
            first_name: c.first_name,
            last_name: c.last_name,
            active: c.active,
            default_billing_address_id: c.default_billing_address_id,
            default_shipping_address_id: c.default_shipping_address_id,
            custom_fields: c.custom_fields,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Input of `updateAccount`; absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// A new password (8 to 128 characters); needs `currentPassword`.
    pub new_password: Option<String>,
    pub current_password: Option<String>,
}

/// Account queries.
#[derive(Default)]
pub struct AccountQuery;

fn perms(p: &Principal) -> Vec<String> {
    p.permissions()
        .into_iter()
        .map(|p| p.as_str().to_owned())
        .collect()
}

#[Object]
impl AccountQuery {
    /// The signed-in principal, or null for anonymous callers.
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<Viewer>> {
        let s = ctx.data_unchecked::<AppState>();
        let p = principal(ctx);
        let viewer = match p {
            Principal::Anonymous => return Ok(None),
            Principal::Staff { user_id, .. }
            | Principal::StaffKey {
                created_by: Some(user_id),
                ..
            } => {
                let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
                let u = AdminUser::by_id(&mut c, *user_id)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
                let (kind, key) = match p {
                    Principal::StaffKey { key_id, .. } => (ViewerKind::StaffApiKey, Some(*key_id)),
                    _ => (ViewerKind::Staff, None),
                };
                Viewer {
                    kind,
                    id: u.id,
                    email: Some(u.email),
                    first_name: u.first_name,
                    last_name: u.last_name,
                    role: Role::parse(&u.role),
                    api_key_id: key,
                    permissions: perms(p),
                }
            }
            Principal::StaffKey {
                key_id,
                created_by: None,
                ..
            } => Viewer {
                kind: ViewerKind::StaffApiKey,
                id: *key_id,
                email: None,
                first_name: None,
                last_name: None,
                role: None,
                api_key_id: Some(*key_id),
                permissions: perms(p),
            },
            Principal::Customer { customer_id, .. }
            | Principal::CustomerKey { customer_id, .. } => {
                let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
                let cu = Customer::by_id(&mut c, *customer_id)
                    .await
                    .map_err(ApiError::from)?
                    .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
                let (kind, key) = match p {
                    Principal::CustomerKey { key_id, .. } => {
                        (ViewerKind::CustomerApiKey, Some(*key_id))
                    }
                    _ => (ViewerKind::Customer, None),
                };
                Viewer {
                    kind,
                    id: cu.id,
                    email: Some(cu.email),
                    first_name: cu.first_name,
                    last_name: cu.last_name,
                    role: Some(Role::Customer),
                    api_key_id: key,
                    permissions: perms(p),
                }
            }
        };
        Ok(Some(viewer))
    }

    /// The signed-in customer's account.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountRead)")]
    async fn account(&self, ctx: &Context<'_>) -> Result<CustomerAccount> {
        let s = ctx.data_unchecked::<AppState>();
        let id = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let cu = Customer::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
        Ok(cu.into())
    }
}

/// Account mutations.
#[derive(Default)]
pub struct AccountMutation;

pub(crate) fn name_field(
    v: Option<String>,
    field: &str,
) -> Result<Option<Option<String>>, ApiError> {
    match v {
        None => Ok(None),
        Some(v) if v.chars().count() > 100 => {
            Err(ApiError::invalid(field, "must be at most 100 characters"))
        }
        Some(v) => Ok(Some(Some(v.trim().to_owned()).filter(|s| !s.is_empty()))),
    }
}

#[Object]
impl AccountMutation {
    /// Updates the signed-in customer's account.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> Result<CustomerAccount> {
        let s = ctx.data_unchecked::<AppState>();
        let id = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let mut changes = CustomerChanges {
            first_name: name_field(input.first_name, "firstName")?,
            last_name: name_field(input.last_name, "lastName")?,
            ..Default::default()
        };
        if let Some(email) = input.email {
            let email = normalize_email(&email);
            validate_email(&email, "email")?;
            changes.email = Some(email);
        }
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        if let Some(new_pw) = input.new_password {
            password::validate_new(&new_pw, "newPassword")?;
            let current = Customer::by_id(&mut c, id)
                .await
                .map_err(ApiError::from)?
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
            let given = input.current_password.unwrap_or_default();
            if !password::verify(given, current.password_hash).await? {
                return Err(
                    ApiError::invalid("currentPassword", "current password is wrong").into(),
                );
            }
            changes.password_hash = Some(password::hash(new_pw).await?);
        }
        let hook = crate::hooks::guard(
            ctx,
            (hk::CUSTOMER_BEFORE_UPDATE, hk::CUSTOMER_AFTER_UPDATE),
            || {
                let mut v = serde_json::json!({ "id": id });
                for (k, set) in [
                    ("email", changes.email.clone().map(Some)),
                    ("firstName", changes.first_name.clone()),
                    ("lastName", changes.last_name.clone()),
                ] {
                    if let Some(value) = set {
                        v[k] = serde_json::json!(value);
                    }
                }
                v
            },
        )
        .await?;
        let updated = CustomerAccount::from(
            Customer::update(&mut c, id, &changes)
                .await
                .map_err(email_conflict)?,
        );
        hook.after(|| crate::hooks::snapshot(&updated)).await;
        Ok(updated)
    }
}

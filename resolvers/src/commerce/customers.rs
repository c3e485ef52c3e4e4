//! Customer maintenance by staff: list/search, get (with addresses), create, partial update,
//! delete, and a customer's addresses. Every field is guarded by its `customers.*`
//! permission and every change writes an audit entry; password hashes never leave `db`.
//! Also the `Customer` type's `addresses` (batched) and `customFields`.

use async_graphql::{
    ComplexObject, Context, InputObject, Json, MaybeUndefined, Object, Result, SimpleObject,
};
use stoa_db::models::Customer;
use stoa_db::models::customer_admin::{
    CustomerAddress, CustomerAdmin, CustomerCreate, CustomerUpdate,
};
use stoa_db::pool;
use uuid::Uuid;

use super::addresses::{
    AddressInput, AddressNode, AddressesByCustomer, UpdateAddressInput, address_changes,
    address_not_found, address_write, default_refusal, tri,
};
use crate::account::{CustomerAccount, name_field};
use crate::audit;
use crate::catalog::loaders::CatalogDataLoader;
use crate::catalog::manage::paging;
use crate::domain::auth::service::{email_conflict, normalize_email, validate_email};
use crate::domain::auth::{Permission, password};
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::hooks;
use crate::state::AppState;
use serde_json::json;
use stoa_plugin_sdk::hooks as hk;

#[ComplexObject]
impl CustomerAccount {
    /// The customer's addresses, oldest first (one batched statement for a whole page).
    async fn addresses(&self, ctx: &Context<'_>) -> Result<Vec<AddressNode>> {
        let loader = ctx
            .data::<CatalogDataLoader>()
            .map_err(|_| ApiError::internal("loader missing"))?;
        Ok(loader
            .load_one(AddressesByCustomer(self.id))
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Free-form custom fields (a JSON object); null when there are none.
    async fn custom_fields(&self) -> Option<Json<serde_json::Value>> {
        self.custom_fields
            .as_object()
            .is_some_and(|m| !m.is_empty())
            .then(|| Json(self.custom_fields.clone()))
    }
}

/// A page of customers.
#[derive(SimpleObject)]
pub struct CustomerPage {
    pub items: Vec<CustomerAccount>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Input of `createCustomer`.
#[derive(InputObject)]
pub struct CreateCustomerInput {
    /// Trimmed and lower-cased; unique among customers (`CONFLICT` otherwise).
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    /// Required, up to 100 characters.
    pub first_name: Option<String>,
    /// Required, up to 100 characters.
    pub last_name: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    /// A JSON object.
    pub custom_fields: Option<Json<serde_json::Value>>,
}

/// Input of `updateCustomer`: absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateCustomerInput {
    /// Unique among customers (`CONFLICT` otherwise).
    pub email: Option<String>,
    /// Empty removes the name.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// An inactive customer cannot sign in.
    pub active: Option<bool>,
    /// One of the customer's own addresses; null clears it.
    pub default_billing_address_id: MaybeUndefined<Uuid>,
    /// One of the customer's own addresses; null clears it.
    pub default_shipping_address_id: MaybeUndefined<Uuid>,
    /// Replaces the custom fields (a JSON object).
    pub custom_fields: Option<Json<serde_json::Value>>,
}

fn customer_not_found() -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, "customer not found")
}

fn custom_fields(
    v: Option<Json<serde_json::Value>>,
) -> Result<Option<serde_json::Value>, ApiError> {
    match v {
        Some(Json(v)) if !v.is_object() => {
            Err(ApiError::invalid("customFields", "must be a JSON object"))
        }
        other => Ok(other.map(|j| j.0)),
    }
}

fn required_name(v: Option<String>, field: &str) -> Result<String, ApiError> {
    match name_field(v, field)? {
        Some(Some(n)) => Ok(n),
        _ => Err(ApiError::invalid(field, "is required")),
    }
}

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    Ok(pool::conn(&ctx.data_unchecked::<AppState>().pool).await?)
}

/// What an update is about to write, as hooks see it: the id and every given field.
fn update_entity(id: Uuid, u: &CustomerUpdate) -> serde_json::Value {
    let given = [
        ("email", u.email.as_ref().map(|v| json!(v))),
        ("firstName", u.first_name.as_ref().map(|v| json!(v))),
        ("lastName", u.last_name.as_ref().map(|v| json!(v))),
        ("active", u.active.map(|v| json!(v))),
        (
            "defaultBillingAddressId",
            u.default_billing_address_id.map(|v| json!(v)),
        ),
        (
            "defaultShippingAddressId",
            u.default_shipping_address_id.map(|v| json!(v)),
        ),
        ("customFields", u.custom_fields.clone()),
    ];
    let mut v = json!({ "id": id });
    for (k, value) in given {
        if let Some(value) = value {
            v[k] = value;
        }
    }
    v
}

async fn existing(c: &mut stoa_db::Conn, id: Uuid) -> Result<Customer, ApiError> {
    Customer::by_id(c, id).await?.ok_or_else(customer_not_found)
}

/// Staff customer queries.
#[derive(Default)]
pub struct CustomerAdminQuery;

#[Object]
impl CustomerAdminQuery {
    /// Customers, newest first (`customers.read`). `limit` 1 to 100 (else 25).
    #[graphql(guard = "StaffGuard(Permission::CustomersRead)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        #[graphql(desc = "Case-insensitive substring of first name, last name or email.")]
        search: Option<String>,
        #[graphql(desc = "Only active (true) or inactive (false) customers.")] active: Option<bool>,
    ) -> Result<CustomerPage> {
        let (page, limit) = paging(page, limit, 25, 100);
        let mut c = conn(ctx).await?;
        let (rows, total) =
            CustomerAdmin::page(&mut c, search.as_deref(), active, (page - 1) * limit, limit)
                .await
                .map_err(ApiError::from)?;
        Ok(CustomerPage {
            items: rows.into_iter().map(Into::into).collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One customer (`customers.read`).
    #[graphql(guard = "StaffGuard(Permission::CustomersRead)")]
    async fn customer(&self, ctx: &Context<'_>, id: Uuid) -> Result<CustomerAccount> {
        let mut c = conn(ctx).await?;
        Ok(existing(&mut c, id).await?.into())
    }
}

/// Staff customer mutations.
#[derive(Default)]
pub struct CustomerAdminMutation;

#[Object]
impl CustomerAdminMutation {
    /// Creates a customer (`customers.create`); a taken email is `CONFLICT`.
    #[graphql(guard = "StaffGuard(Permission::CustomersCreate)")]
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> Result<CustomerAccount> {
        let email = normalize_email(&input.email);
        validate_email(&email, "email")?;
        password::validate_new(&input.password, "password")?;
        let first_name = required_name(input.first_name, "firstName")?;
        let last_name = required_name(input.last_name, "lastName")?;
        let custom = custom_fields(input.custom_fields)?.unwrap_or_else(|| serde_json::json!({}));
        let active = input.active.unwrap_or(true);
        let hook = hooks::guard(
            ctx,
            (hk::CUSTOMER_BEFORE_CREATE, hk::CUSTOMER_AFTER_CREATE),
            || {
                json!({ "email": email, "firstName": first_name, "lastName": last_name,
                    "active": active, "customFields": custom })
            },
        )
        .await?;
        let hash = password::hash(input.password).await?;
        let mut c = conn(ctx).await?;
        let created = CustomerAdmin::create(
            &mut c,
            CustomerCreate {
                email,
                password_hash: hash,
                first_name: Some(first_name),
                last_name: Some(last_name),
                active,
                custom_fields: custom,
            },
        )
        .await
        .map_err(email_conflict)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "customer",
            Some(created.id),
            serde_json::json!({ "active": created.active }),
        )
        .await?;
        let created = CustomerAccount::from(created);
        hook.after(|| hooks::snapshot(&created)).await;
        Ok(created)
    }

    /// Changes a customer (`customers.update`): a taken email is `CONFLICT`, a default
    /// address that is not the customer's is `VALIDATION_ERROR`.
    #[graphql(guard = "StaffGuard(Permission::CustomersUpdate)")]
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateCustomerInput,
    ) -> Result<CustomerAccount> {
        let email = match input.email {
            Some(e) => {
                let e = normalize_email(&e);
                validate_email(&e, "email")?;
                Some(e)
            }
            None => None,
        };
        let changes = CustomerUpdate {
            email,
            first_name: name_field(input.first_name, "firstName")?,
            last_name: name_field(input.last_name, "lastName")?,
            active: input.active,
            default_billing_address_id: tri(input.default_billing_address_id),
            default_shipping_address_id: tri(input.default_shipping_address_id),
            custom_fields: custom_fields(input.custom_fields)?,
        };
        let mut fields = Vec::new();
        for (name, set) in [
            ("email", changes.email.is_some()),
            ("first_name", changes.first_name.is_some()),
            ("last_name", changes.last_name.is_some()),
            ("active", changes.active.is_some()),
            (
                "default_billing_address_id",
                changes.default_billing_address_id.is_some(),
            ),
            (
                "default_shipping_address_id",
                changes.default_shipping_address_id.is_some(),
            ),
            ("custom_fields", changes.custom_fields.is_some()),
        ] {
            if set {
                fields.push(name);
            }
        }
        let mut c = conn(ctx).await?;
        let before = existing(&mut c, id).await?;
        let hook = hooks::guard(
            ctx,
            (hk::CUSTOMER_BEFORE_UPDATE, hk::CUSTOMER_AFTER_UPDATE),
            || update_entity(id, &changes),
        )
        .await?;
        let updated = CustomerAdmin::update(&mut c, id, changes)
            .await
            .map_err(email_conflict)?
            .map_err(|r| {
                default_refusal(r, "defaultBillingAddressId", "defaultShippingAddressId")
            })?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "customer",
            Some(id),
            serde_json::json!({
                "fields": fields,
                "active": { "from": before.active, "to": updated.active },
            }),
        )
        .await?;
        let updated = CustomerAccount::from(updated);
        hook.after(|| hooks::snapshot(&updated)).await;
        Ok(updated)
    }

    /// Deletes a customer with their addresses, carts and API keys; their orders stay,
    /// without a customer (`customers.delete`).
    #[graphql(guard = "StaffGuard(Permission::CustomersDelete)")]
    async fn delete_customer(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !CustomerAdmin::delete(&mut c, id)
            .await
            .map_err(ApiError::from)?
        {
            return Err(customer_not_found().into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "customer",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        Ok(true)
    }

    /// Adds an address to a customer (`customers.update`).
    #[graphql(guard = "StaffGuard(Permission::CustomersUpdate)")]
    async fn create_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: Uuid,
        input: AddressInput,
    ) -> Result<AddressNode> {
        let w = address_write(input)?;
        let mut c = conn(ctx).await?;
        let a = CustomerAddress::create(&mut c, customer_id, w)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(customer_not_found)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "customer_address",
            Some(a.id),
            serde_json::json!({ "customer_id": customer_id }),
        )
        .await?;
        Ok(a.into())
    }

    /// Changes an address of the customer (`customers.update`); an address of another
    /// customer is `NOT_FOUND`.
    #[graphql(guard = "StaffGuard(Permission::CustomersUpdate)")]
    async fn update_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: Uuid,
        id: Uuid,
        input: UpdateAddressInput,
    ) -> Result<AddressNode> {
        let changes = address_changes(input)?;
        let mut c = conn(ctx).await?;
        let a = CustomerAddress::update(&mut c, customer_id, id, &changes)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(address_not_found)?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "customer_address",
            Some(id),
            serde_json::json!({ "customer_id": customer_id }),
        )
        .await?;
        Ok(a.into())
    }

    /// Deletes an address of the customer; a default pointing at it is cleared
    /// (`customers.update`).
    #[graphql(guard = "StaffGuard(Permission::CustomersUpdate)")]
    async fn delete_customer_address(
        &self,
        ctx: &Context<'_>,
        customer_id: Uuid,
        id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !CustomerAddress::delete(&mut c, customer_id, id)
            .await
            .map_err(ApiError::from)?
        {
            return Err(address_not_found().into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "customer_address",
            Some(id),
            serde_json::json!({ "customer_id": customer_id }),
        )
        .await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use stoa_db::models::customer_admin::CustomerRefusal;

    use super::*;

    #[test]
    fn custom_fields_must_be_an_object() {
        assert!(custom_fields(Some(Json(serde_json::json!([1])))).is_err());
        assert_eq!(
            custom_fields(Some(Json(serde_json::json!({"a": 1}))))
                .ok()
                .flatten(),
            Some(serde_json::json!({"a": 1}))
        );
        assert_eq!(custom_fields(None).ok().flatten(), None);
    }

    #[test]
    fn refusals_name_the_field() {
        let e = default_refusal(
            CustomerRefusal::ForeignShippingAddress,
            "defaultBillingAddressId",
            "defaultShippingAddressId",
        );
        assert_eq!(e.code, ErrorCode::ValidationError);
        assert_eq!(e.field.as_deref(), Some("defaultShippingAddressId"));
        assert_eq!(
            default_refusal(CustomerRefusal::UnknownCustomer, "a", "b").code,
            ErrorCode::NotFound
        );
    }
}

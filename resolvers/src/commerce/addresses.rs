//! Customer addresses: the GraphQL type and inputs, their validation, the batched loader
//! behind `Customer.addresses`, and the signed-in customer's own address book.
//!
//! A customer only ever reaches their own addresses: every lookup is by (customer, id), so
//! another customer's address id answers `NOT_FOUND`, never `FORBIDDEN` (ids don't leak).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::customer_admin::{
    AddressChanges, AddressWrite, CustomerAddress, CustomerAdmin, CustomerRefusal, CustomerUpdate,
};
use stoa_db::pool;
use uuid::Uuid;

use crate::account::CustomerAccount;
use crate::catalog::loaders::{CatalogLoader, LoadError};
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::{CustomerGuard, principal};
use crate::state::AppState;

/// A customer's postal address.
#[derive(SimpleObject, Clone)]
#[graphql(name = "CustomerAddress")]
pub struct AddressNode {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// Null when there is none.
    pub company: Option<String>,
    pub street: String,
    pub city: String,
    pub zip: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country_code: String,
    /// Null when there is none.
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CustomerAddress> for AddressNode {
    fn from(a: CustomerAddress) -> Self {
        let present = |v: Option<String>| v.filter(|s| !s.is_empty());
        Self {
            id: a.id,
            customer_id: a.customer_id,
            first_name: a.first_name.unwrap_or_default(),
            last_name: a.last_name.unwrap_or_default(),
            company: present(a.company),
            street: a.street.unwrap_or_default(),
            city: a.city.unwrap_or_default(),
            zip: a.zip.unwrap_or_default(),
            country_code: a.country_code,
            phone: present(a.phone),
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// Input of `createMyAddress` / `createCustomerAddress`. Every field but `company` and
/// `phone` is required (absent or blank → `VALIDATION_ERROR` naming the field).
#[derive(InputObject)]
pub struct AddressInput {
    /// Up to 100 characters.
    pub first_name: Option<String>,
    /// Up to 100 characters.
    pub last_name: Option<String>,
    /// Up to 255 characters.
    pub company: Option<String>,
    /// Up to 255 characters.
    pub street: Option<String>,
    /// Up to 100 characters.
    pub city: Option<String>,
    /// Up to 20 characters.
    pub zip: Option<String>,
    /// Two letters (ISO 3166-1 alpha-2), stored upper case.
    pub country_code: Option<String>,
    /// Up to 50 characters.
    pub phone: Option<String>,
}

/// Input of `updateMyAddress` / `updateCustomerAddress`: absent fields stay as they are;
/// an empty `company` or `phone` removes it, other fields cannot be emptied.
#[derive(InputObject)]
pub struct UpdateAddressInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub zip: Option<String>,
    pub country_code: Option<String>,
    pub phone: Option<String>,
}

const LIMITS: [(&str, usize); 8] = [
    ("firstName", 100),
    ("lastName", 100),
    ("company", 255),
    ("street", 255),
    ("city", 100),
    ("zip", 20),
    ("countryCode", 2),
    ("phone", 50),
];

fn limit(field: &str) -> usize {
    LIMITS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(255, |(_, n)| *n)
}

/// A required text: trimmed, non-empty, within the column's length.
fn required(field: &str, v: Option<String>) -> Result<String, ApiError> {
    let v = v.map(|s| s.trim().to_owned()).unwrap_or_default();
    if v.is_empty() {
        return Err(ApiError::invalid(field, "is required"));
    }
    if v.chars().count() > limit(field) {
        return Err(ApiError::invalid(
            field,
            format!("must be at most {} characters", limit(field)),
        ));
    }
    Ok(v)
}

/// An optional text: blank is none.
fn optional(field: &str, v: Option<String>) -> Result<Option<String>, ApiError> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => required(field, Some(s)).map(Some),
    }
}

fn country(v: Option<String>) -> Result<String, ApiError> {
    let c = v.map(|s| s.trim().to_ascii_uppercase()).unwrap_or_default();
    if c.is_empty() {
        return Err(ApiError::invalid("countryCode", "is required"));
    }
    if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Err(ApiError::invalid(
            "countryCode",
            "must be a two-letter country code",
        ));
    }
    Ok(c)
}

/// Validates a new address.
pub(crate) fn address_write(i: AddressInput) -> Result<AddressWrite, ApiError> {
    Ok(AddressWrite {
        first_name: required("firstName", i.first_name)?,
        last_name: required("lastName", i.last_name)?,
        company: optional("company", i.company)?,
        street: required("street", i.street)?,
        city: required("city", i.city)?,
        zip: required("zip", i.zip)?,
        country_code: country(i.country_code)?,
        phone: optional("phone", i.phone)?,
    })
}

/// Validates an address update.
pub(crate) fn address_changes(i: UpdateAddressInput) -> Result<AddressChanges, ApiError> {
    let req = |field: &str, v: Option<String>| -> Result<Option<Option<String>>, ApiError> {
        v.map(|v| required(field, Some(v)).map(Some)).transpose()
    };
    let opt = |field: &str, v: Option<String>| -> Result<Option<Option<String>>, ApiError> {
        v.map(|v| optional(field, Some(v))).transpose()
    };
    Ok(AddressChanges {
        first_name: req("firstName", i.first_name)?,
        last_name: req("lastName", i.last_name)?,
        company: opt("company", i.company)?,
        street: req("street", i.street)?,
        city: req("city", i.city)?,
        zip: req("zip", i.zip)?,
        country_code: i.country_code.map(|c| country(Some(c))).transpose()?,
        phone: opt("phone", i.phone)?,
    })
}

/// Absent → unchanged (`None`), null → cleared (`Some(None)`), a value → set.
pub(crate) fn tri<T>(v: MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

pub(crate) fn address_not_found() -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, "address not found")
}

/// Maps a refused default-address change; the fields are the GraphQL argument names.
pub(crate) fn default_refusal(r: CustomerRefusal, billing: &str, shipping: &str) -> ApiError {
    match r {
        CustomerRefusal::UnknownCustomer => {
            ApiError::with_message(ErrorCode::NotFound, "customer not found")
        }
        CustomerRefusal::ForeignBillingAddress => {
            ApiError::invalid(billing, "must be one of the customer's addresses")
        }
        CustomerRefusal::ForeignShippingAddress => {
            ApiError::invalid(shipping, "must be one of the customer's addresses")
        }
    }
}

// --- the batched relation -----------------------------------------------------------------

/// The addresses of a customer (one statement per request for a whole page of customers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddressesByCustomer(pub Uuid);

impl Loader<AddressesByCustomer> for CatalogLoader {
    type Value = Vec<CustomerAddress>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AddressesByCustomer],
    ) -> Result<HashMap<AddressesByCustomer, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut c = pool::conn(&self.pool)
            .await
            .map_err(|e| Arc::new(e.to_string()))?;
        let mut m = CustomerAddress::of_customers(&mut c, &ids)
            .await
            .map_err(|e| Arc::new(e.to_string()))?;
        Ok(keys
            .iter()
            .map(|k| (*k, m.remove(&k.0).unwrap_or_default()))
            .collect())
    }
}

// --- the signed-in customer ---------------------------------------------------------------

fn me(ctx: &Context<'_>) -> Result<Uuid, ApiError> {
    principal(ctx)
        .customer_id()
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))
}

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    Ok(pool::conn(&ctx.data_unchecked::<AppState>().pool).await?)
}

/// The signed-in customer's address book.
#[derive(Default)]
pub struct AddressQuery;

#[Object]
impl AddressQuery {
    /// The signed-in customer's addresses, oldest first.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountRead)")]
    async fn my_addresses(&self, ctx: &Context<'_>) -> Result<Vec<AddressNode>> {
        let id = me(ctx)?;
        let mut c = conn(ctx).await?;
        Ok(CustomerAddress::of_customer(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Changes to the signed-in customer's address book.
#[derive(Default)]
pub struct AddressMutation;

#[Object]
impl AddressMutation {
    /// Adds an address to the signed-in customer's address book.
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn create_my_address(
        &self,
        ctx: &Context<'_>,
        input: AddressInput,
    ) -> Result<AddressNode> {
        let id = me(ctx)?;
        let w = address_write(input)?;
        let mut c = conn(ctx).await?;
        Ok(CustomerAddress::create(&mut c, id, w)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?
            .into())
    }

    /// Changes one of the signed-in customer's addresses (`NOT_FOUND` for any other id).
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn update_my_address(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateAddressInput,
    ) -> Result<AddressNode> {
        let me = me(ctx)?;
        let changes = address_changes(input)?;
        let mut c = conn(ctx).await?;
        Ok(CustomerAddress::update(&mut c, me, id, &changes)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(address_not_found)?
            .into())
    }

    /// Deletes one of the signed-in customer's addresses; a default pointing at it is
    /// cleared (`NOT_FOUND` for any other id).
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn delete_my_address(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let me = me(ctx)?;
        let mut c = conn(ctx).await?;
        if !CustomerAddress::delete(&mut c, me, id)
            .await
            .map_err(ApiError::from)?
        {
            return Err(address_not_found().into());
        }
        Ok(true)
    }

    /// Sets the signed-in customer's default addresses: an absent argument stays as it is,
    /// null clears it, an id must be one of the customer's own addresses
    /// (`VALIDATION_ERROR` otherwise).
    #[graphql(guard = "CustomerGuard(Permission::StoreAccountUpdate)")]
    async fn set_my_default_addresses(
        &self,
        ctx: &Context<'_>,
        billing_address_id: MaybeUndefined<Uuid>,
        shipping_address_id: MaybeUndefined<Uuid>,
    ) -> Result<CustomerAccount> {
        let me = me(ctx)?;
        let changes = CustomerUpdate {
            default_billing_address_id: tri(billing_address_id),
            default_shipping_address_id: tri(shipping_address_id),
            ..Default::default()
        };
        let mut c = conn(ctx).await?;
        let updated = CustomerAdmin::update(&mut c, me, changes)
            .await
            .map_err(ApiError::from)?
            .map_err(|r| default_refusal(r, "billingAddressId", "shippingAddressId"))?;
        Ok(updated.into())
    }
}

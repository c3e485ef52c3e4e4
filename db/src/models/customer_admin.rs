//! Customer maintenance (staff) and customer addresses (staff and the customer).
//!
//! Address ownership is part of every address query: an address is always looked up by
//! `(customer, address)`, so another customer's address id is simply not found. A
//! customer's default billing/shipping address must be one of their own addresses; the
//! check and the write run in one transaction with the customer row locked.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog_manage::escape_like;
use super::customer::Customer;
use crate::error::{DbError, DbResult};
use crate::schema::{customer_addresses, customers};

/// A postal address of a customer.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = customer_addresses, check_for_backend(diesel::pg::Pg))]
pub struct CustomerAddress {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub zip: Option<String>,
    pub country_code: String,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields of a new address (validated by the caller).
#[derive(Debug, Clone)]
pub struct AddressWrite {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub street: String,
    pub city: String,
    pub zip: String,
    pub country_code: String,
    pub phone: Option<String>,
}

/// A partial address update; `None` leaves the column as it is (`Some(None)` clears a
/// nullable one).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = customer_addresses)]
pub struct AddressChanges {
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub company: Option<Option<String>>,
    pub street: Option<Option<String>>,
    pub city: Option<Option<String>>,
    pub zip: Option<Option<String>>,
    pub country_code: Option<String>,
    pub phone: Option<Option<String>>,
}

impl AddressChanges {
    fn is_empty(&self) -> bool {
        self.first_name.is_none()
            && self.last_name.is_none()
            && self.company.is_none()
            && self.street.is_none()
            && self.city.is_none()
            && self.zip.is_none()
            && self.country_code.is_none()
            && self.phone.is_none()
    }
}

/// The fields of a customer created by staff (validated and hashed by the caller).
#[derive(Debug, Clone)]
pub struct CustomerCreate {
    pub email: String,
    pub password_hash: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub active: bool,
    pub custom_fields: serde_json::Value,
}

/// A staff update of a customer; `None` leaves the column as it is. The default address
/// ids: `Some(None)` clears, `Some(Some(id))` sets (the address must be the customer's).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = customers)]
pub struct CustomerUpdate {
    pub email: Option<String>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub active: Option<bool>,
    pub default_billing_address_id: Option<Option<Uuid>>,
    pub default_shipping_address_id: Option<Option<Uuid>>,
    pub custom_fields: Option<serde_json::Value>,
}

impl CustomerUpdate {
    fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.first_name.is_none()
            && self.last_name.is_none()
            && self.active.is_none()
            && self.default_billing_address_id.is_none()
            && self.default_shipping_address_id.is_none()
            && self.custom_fields.is_none()
    }
}

/// Why a customer update was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerRefusal {
    /// The customer does not exist.
    UnknownCustomer,
    /// The default billing address is not one of the customer's addresses.
    ForeignBillingAddress,
    /// The default shipping address is not one of the customer's addresses.
    ForeignShippingAddress,
}

/// Customer maintenance.
pub struct CustomerAdmin;

impl CustomerAdmin {
    /// A page of customers, newest first; `search` matches first name, last name or email
    /// (case-insensitive substring), `active` filters by the flag.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        search: Option<&str>,
        active: Option<bool>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Customer>, i64)> {
        let pattern = search
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", escape_like(s)));
        let mut count = customers::table.count().into_boxed();
        let mut q = customers::table.select(Customer::as_select()).into_boxed();
        if let Some(p) = &pattern {
            let matches = customers::first_name
                .ilike(p.clone())
                .or(customers::last_name.ilike(p.clone()))
                .or(customers::email.nullable().ilike(p.clone()));
            count = count.filter(matches.clone());
            q = q.filter(matches);
        }
        if let Some(a) = active {
            count = count.filter(customers::active.eq(a));
            q = q.filter(customers::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows = q
            .order((customers::created_at.desc(), customers::id.desc()))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// Inserts a customer; a taken email (any case) is a [`DbError::Conflict`].
    pub async fn create(conn: &mut AsyncPgConnection, new: CustomerCreate) -> DbResult<Customer> {
        Ok(diesel::insert_into(customers::table)
            .values((
                customers::id.eq(Uuid::now_v7()),
                customers::email.eq(new.email),
                customers::password_hash.eq(new.password_hash),
                customers::first_name.eq(new.first_name),
                customers::last_name.eq(new.last_name),
                customers::active.eq(new.active),
                customers::custom_fields.eq(new.custom_fields),
            ))
            .returning(Customer::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Applies a staff update. A taken email is a [`DbError::Conflict`]; default address
    /// ids that are not the customer's are refused.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        changes: CustomerUpdate,
    ) -> DbResult<Result<Customer, CustomerRefusal>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let current: Option<Customer> = customers::table
                .find(id)
                .select(Customer::as_select())
                .for_update()
                .first(tx)
                .await
                .optional()?;
            let Some(current) = current else {
                return Ok(Err(CustomerRefusal::UnknownCustomer));
            };
            for (wanted, refusal) in [
                (
                    changes.default_billing_address_id,
                    CustomerRefusal::ForeignBillingAddress,
                ),
                (
                    changes.default_shipping_address_id,
                    CustomerRefusal::ForeignShippingAddress,
                ),
            ] {
                if let Some(Some(address)) = wanted
                    && !Self::owns(tx, id, address).await?
                {
                    return Ok(Err(refusal));
                }
            }
            if changes.is_empty() {
                return Ok(Ok(current));
            }
            let updated = diesel::update(customers::table.find(id))
                .set((&changes, customers::updated_at.eq(Utc::now())))
                .returning(Customer::as_returning())
                .get_result(tx)
                .await?;
            Ok(Ok(updated))
        })
        .await
    }

    /// Deletes a customer with their addresses, carts and API keys; their orders stay,
    /// without a customer. False when there is no such customer.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            // Clear the defaults first, so that the address cascade does not update a row
            // that is being deleted.
            let found = diesel::update(customers::table.find(id))
                .set((
                    customers::default_billing_address_id.eq(None::<Uuid>),
                    customers::default_shipping_address_id.eq(None::<Uuid>),
                ))
                .execute(tx)
                .await?;
            if found == 0 {
                return Ok(false);
            }
            Ok(diesel::delete(customers::table.find(id))
                .execute(tx)
                .await?
                > 0)
        })
        .await
    }

    async fn owns(conn: &mut AsyncPgConnection, customer: Uuid, address: Uuid) -> DbResult<bool> {
        let n: i64 = customer_addresses::table
            .filter(customer_addresses::id.eq(address))
            .filter(customer_addresses::customer_id.eq(customer))
            .count()
            .get_result(conn)
            .await?;
        Ok(n > 0)
    }
}

impl CustomerAddress {
    /// A customer's addresses, oldest first.
    pub async fn of_customer(conn: &mut AsyncPgConnection, customer: Uuid) -> DbResult<Vec<Self>> {
        Ok(Self::of_customers(conn, &[customer])
            .await?
            .remove(&customer)
            .unwrap_or_default())
    }

    /// The addresses of several customers in one statement, by customer, oldest first.
    pub async fn of_customers(
        conn: &mut AsyncPgConnection,
        customers: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Self>>> {
        if customers.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<Self> = customer_addresses::table
            .filter(customer_addresses::customer_id.eq_any(customers))
            .order((customer_addresses::created_at, customer_addresses::id))
            .select(Self::as_select())
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, Vec<Self>> = HashMap::new();
        for r in rows {
            out.entry(r.customer_id).or_default().push(r);
        }
        Ok(out)
    }

    /// One of the customer's addresses (`None` for an unknown id or another customer's).
    pub async fn of(
        conn: &mut AsyncPgConnection,
        customer: Uuid,
        id: Uuid,
    ) -> DbResult<Option<Self>> {
        Ok(customer_addresses::table
            .filter(customer_addresses::id.eq(id))
            .filter(customer_addresses::customer_id.eq(customer))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Adds an address to a customer; `None` when the customer does not exist.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        customer: Uuid,
        w: AddressWrite,
    ) -> DbResult<Option<Self>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            // Locks the customer so that a concurrent delete cannot race the insert.
            let exists: Option<Uuid> = customers::table
                .find(customer)
                .select(customers::id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            if exists.is_none() {
                return Ok(None);
            }
            let row = diesel::insert_into(customer_addresses::table)
                .values((
                    customer_addresses::id.eq(Uuid::now_v7()),
                    customer_addresses::customer_id.eq(customer),
                    customer_addresses::first_name.eq(w.first_name),
                    customer_addresses::last_name.eq(w.last_name),
                    customer_addresses::company.eq(w.company),
                    customer_addresses::street.eq(w.street),
                    customer_addresses::city.eq(w.city),
                    customer_addresses::zip.eq(w.zip),
                    customer_addresses::country_code.eq(w.country_code),
                    customer_addresses::phone.eq(w.phone),
                ))
                .returning(Self::as_returning())
                .get_result(tx)
                .await?;
            Ok(Some(row))
        })
        .await
    }

    /// Changes one of the customer's addresses; `None` when it is not theirs.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        customer: Uuid,
        id: Uuid,
        changes: &AddressChanges,
    ) -> DbResult<Option<Self>> {
        if changes.is_empty() {
            return Self::of(conn, customer, id).await;
        }
        Ok(diesel::update(
            customer_addresses::table
                .filter(customer_addresses::id.eq(id))
                .filter(customer_addresses::customer_id.eq(customer)),
        )
        .set((changes, customer_addresses::updated_at.eq(Utc::now())))
        .returning(Self::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }

    /// Deletes one of the customer's addresses (a default pointing at it is cleared);
    /// false when it is not theirs.
    pub async fn delete(conn: &mut AsyncPgConnection, customer: Uuid, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(
            customer_addresses::table
                .filter(customer_addresses::id.eq(id))
                .filter(customer_addresses::customer_id.eq(customer)),
        )
        .execute(conn)
        .await?
            > 0)
    }
}

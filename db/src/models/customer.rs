//! Customer accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::customers;

/// A customer account.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = customers, check_for_backend(diesel::pg::Pg))]
pub struct Customer {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub active: bool,
    pub default_billing_address_id: Option<Uuid>,
    pub default_shipping_address_id: Option<Uuid>,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Values for a new customer.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customers)]
pub struct NewCustomer<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
}

/// A partial update of a customer; `None` leaves the column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = customers)]
pub struct CustomerChanges {
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
}

impl Customer {
    /// Looks a customer up by email, case-insensitively.
    pub async fn by_email(conn: &mut AsyncPgConnection, email: &str) -> DbResult<Option<Self>> {
        Ok(customers::table
            .filter(crate::lower(customers::email).eq(email.to_lowercase()))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks a customer up by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(customers::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts a customer; a duplicate email is a [`crate::DbError::Conflict`].
    pub async fn create(conn: &mut AsyncPgConnection, new: NewCustomer<'_>) -> DbResult<Self> {
        Ok(diesel::insert_into(customers::table)
            .values(new)
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Applies a partial update and returns the new row.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        changes: &CustomerChanges,
    ) -> DbResult<Self> {
        Ok(diesel::update(customers::table.find(id))
            .set((changes, customers::updated_at.eq(diesel::dsl::now)))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }
}

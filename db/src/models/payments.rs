//! Writing payment transactions and an order's payment status. The rules (status machine,
//! balance, currency, idempotency) live in `resolvers::domain::payments`; these functions
//! only read and write rows, on the caller's connection (so they join its transaction).

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::orders::{Order, PaymentTransaction};
use crate::error::DbResult;
use crate::schema::{orders, payment_methods, payment_transactions};

/// A transaction to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = payment_transactions)]
pub struct NewPaymentTransaction<'a> {
    pub id: Uuid,
    pub order_id: Uuid,
    pub payment_method_id: Option<Uuid>,
    pub status: &'a str,
    pub currency: &'a str,
    pub amount: i32,
    /// Empty when the payment has no provider reference (no idempotency then).
    pub provider_reference: &'a str,
}

impl PaymentTransaction {
    /// One transaction.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(payment_transactions::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// One transaction, locked for the rest of the transaction.
    pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(payment_transactions::table
            .find(id)
            .select(Self::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    /// The transaction with this (non-empty) provider reference, locked.
    pub async fn lock_by_reference(
        conn: &mut AsyncPgConnection,
        reference: &str,
    ) -> DbResult<Option<Self>> {
        if reference.is_empty() {
            return Ok(None);
        }
        Ok(payment_transactions::table
            .filter(payment_transactions::provider_reference.eq(reference))
            .select(Self::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts a transaction.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        new: &NewPaymentTransaction<'_>,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(payment_transactions::table)
            .values(new)
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Sets a transaction's status.
    pub async fn set_status(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        status: &str,
    ) -> DbResult<Self> {
        Ok(diesel::update(payment_transactions::table.find(id))
            .set(payment_transactions::status.eq(status))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }
}

impl Order {
    /// Sets the order's payment status (and `updated_at`).
    pub async fn set_payment_status(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        payment_status: &str,
    ) -> DbResult<Self> {
        Ok(diesel::update(orders::table.find(id))
            .set((
                orders::payment_status.eq(payment_status),
                orders::updated_at.eq(Utc::now()),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }
}

/// True when a payment method with this id exists.
pub async fn payment_method_exists(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
    Ok(payment_methods::table
        .find(id)
        .select(payment_methods::id)
        .first::<Uuid>(conn)
        .await
        .optional()?
        .is_some())
}

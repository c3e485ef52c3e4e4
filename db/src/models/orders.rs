//! Orders: rows, items, status history, payment transactions, domain events and order
//! numbers. The status machine itself lives in `resolvers::domain::orders`; this module only
//! reads and writes rows (every function takes the caller's connection, so it joins the
//! caller's transaction).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::{DbError, DbResult};
use crate::schema::{
    domain_events, order_items, order_status_history, orders, payment_transactions,
};

/// An order row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct Order {
    pub id: Uuid,
    pub order_number: String,
    pub customer_id: Option<Uuid>,
    pub guest_token: Option<String>,
    pub status: String,
    pub currency: String,
    pub subtotal_net: i32,
    pub subtotal_gross: i32,
    pub discount_total: i32,
    pub shipping_cost: i32,
    pub tax_total: i32,
    pub total: i32,
    pub billing_address: serde_json::Value,
    pub shipping_address: serde_json::Value,
    pub payment_method_id: Option<Uuid>,
    pub shipping_method_id: Option<Uuid>,
    pub discount_id: Option<Uuid>,
    pub discount_code: String,
    pub notes: String,
    pub payment_reference: String,
    pub payment_status: String,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An order line.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = order_items, check_for_backend(diesel::pg::Pg))]
pub struct OrderItem {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Option<Uuid>,
    pub variant_id: Option<Uuid>,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price_net: i32,
    pub unit_price_gross: i32,
    pub total_net: i32,
    pub total_gross: i32,
    pub tax_rate: i32,
}

/// One status change (creation is `''` → `pending`).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = order_status_history, check_for_backend(diesel::pg::Pg))]
pub struct StatusHistory {
    pub id: Uuid,
    pub order_id: Uuid,
    pub from_status: String,
    pub to_status: String,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// A payment transaction (written by payment providers).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = payment_transactions, check_for_backend(diesel::pg::Pg))]
pub struct PaymentTransaction {
    pub id: Uuid,
    pub order_id: Uuid,
    pub payment_method_id: Option<Uuid>,
    pub status: String,
    pub currency: String,
    pub amount: i32,
    pub provider_reference: String,
    pub created_at: DateTime<Utc>,
}

/// A domain-event row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = domain_events, check_for_backend(diesel::pg::Pg))]
pub struct DomainEvent {
    pub id: i64,
    pub kind: String,
    pub entity_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// The LISTEN/NOTIFY channel that carries the id of each committed domain event.
pub const EVENT_CHANNEL: &str = "stoa_events";

/// Sort keys of the admin order list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSort {
    CreatedAt,
    Total,
    Status,
    OrderNumber,
}

/// Filters of the admin order list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub customer_id: Option<Uuid>,
    /// Part of the order number (case-insensitive).
    pub search: Option<String>,
}

type BoxedOrders<'a> = orders::BoxedQuery<'a, diesel::pg::Pg>;

fn filtered(f: &OrderFilter) -> BoxedOrders<'_> {
    let mut q = orders::table.into_boxed();
    if let Some(s) = &f.status {
        q = q.filter(orders::status.eq(s.clone()));
    }
    if let Some(c) = f.customer_id {
        q = q.filter(orders::customer_id.eq(c));
    }
    if let Some(s) = f.search.as_deref().filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", super::catalog_manage::escape_like(s));
        q = q.filter(orders::order_number.ilike(pattern));
    }
    q
}

impl Order {
    /// A page of orders and the total count.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        filter: &OrderFilter,
        sort: OrderSort,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let total: i64 = filtered(filter).count().get_result(conn).await?;
        let q = filtered(filter);
        let q = match (sort, descending) {
            (OrderSort::CreatedAt, true) => q.order((orders::created_at.desc(), orders::id.desc())),
            (OrderSort::CreatedAt, false) => q.order((orders::created_at.asc(), orders::id.asc())),
            (OrderSort::Total, true) => q.order((orders::total.desc(), orders::id.desc())),
            (OrderSort::Total, false) => q.order((orders::total.asc(), orders::id.asc())),
            (OrderSort::Status, true) => q.order((orders::status.desc(), orders::id.desc())),
            (OrderSort::Status, false) => q.order((orders::status.asc(), orders::id.asc())),
            (OrderSort::OrderNumber, true) => {
                q.order((orders::order_number.desc(), orders::id.desc()))
            }
            (OrderSort::OrderNumber, false) => {
                q.order((orders::order_number.asc(), orders::id.asc()))
            }
        };
        let rows = q
            .offset(offset)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// One order.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(orders::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// One order, locked for the rest of the transaction.
    pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(orders::table
            .find(id)
            .select(Self::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    /// One order of a customer (`None` when it is another's).
    pub async fn of_customer(
        conn: &mut AsyncPgConnection,
        customer_id: Uuid,
        id: Uuid,
    ) -> DbResult<Option<Self>> {
        Ok(orders::table
            .find(id)
            .filter(orders::customer_id.eq(customer_id))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// One guest order by its token (`None` unless both match).
    pub async fn of_guest(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        guest_token: &str,
    ) -> DbResult<Option<Self>> {
        Ok(orders::table
            .find(id)
            .filter(orders::guest_token.eq(guest_token))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// A page of a customer's orders, newest first, and their count.
    pub async fn page_of_customer(
        conn: &mut AsyncPgConnection,
        customer_id: Uuid,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let filter = OrderFilter {
            customer_id: Some(customer_id),
            ..OrderFilter::default()
        };
        Self::page(conn, &filter, OrderSort::CreatedAt, true, offset, limit).await
    }

    /// Sets the status (and `updated_at`).
    pub async fn set_status(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        status: &str,
    ) -> DbResult<Self> {
        Ok(diesel::update(orders::table.find(id))
            .set((orders::status.eq(status), orders::updated_at.eq(Utc::now())))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }
}

impl OrderItem {
    /// The items of many orders, keyed by order (in insertion order: by id).
    pub async fn of_orders(
        conn: &mut AsyncPgConnection,
        order_ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Self>>> {
        let mut out: HashMap<Uuid, Vec<Self>> = HashMap::new();
        if order_ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<Self> = order_items::table
            .filter(order_items::order_id.eq_any(order_ids))
            .order((order_items::order_id, order_items::id))
            .select(Self::as_select())
            .load(conn)
            .await?;
        for r in rows {
            out.entry(r.order_id).or_default().push(r);
        }
        Ok(out)
    }
}

impl StatusHistory {
    /// Appends a history row.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        order_id: Uuid,
        from_status: &str,
        to_status: &str,
        comment: &str,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(order_status_history::table)
            .values((
                order_status_history::id.eq(Uuid::now_v7()),
                order_status_history::order_id.eq(order_id),
                order_status_history::from_status.eq(from_status),
                order_status_history::to_status.eq(to_status),
                order_status_history::comment.eq(comment),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// An order's history, oldest first.
    pub async fn of_order(conn: &mut AsyncPgConnection, order_id: Uuid) -> DbResult<Vec<Self>> {
        Ok(order_status_history::table
            .filter(order_status_history::order_id.eq(order_id))
            .order((order_status_history::created_at, order_status_history::id))
            .select(Self::as_select())
            .load(conn)
            .await?)
    }
}

impl StatusHistory {
    /// The histories of many orders, keyed by order, oldest first.
    pub async fn of_orders(
        conn: &mut AsyncPgConnection,
        order_ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Self>>> {
        let mut out: HashMap<Uuid, Vec<Self>> = HashMap::new();
        if order_ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<Self> = order_status_history::table
            .filter(order_status_history::order_id.eq_any(order_ids))
            .order((order_status_history::created_at, order_status_history::id))
            .select(Self::as_select())
            .load(conn)
            .await?;
        for r in rows {
            out.entry(r.order_id).or_default().push(r);
        }
        Ok(out)
    }
}

impl PaymentTransaction {
    /// The transactions of many orders, keyed by order, oldest first.
    pub async fn of_orders(
        conn: &mut AsyncPgConnection,
        order_ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Self>>> {
        let mut out: HashMap<Uuid, Vec<Self>> = HashMap::new();
        if order_ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<Self> = payment_transactions::table
            .filter(payment_transactions::order_id.eq_any(order_ids))
            .order((payment_transactions::created_at, payment_transactions::id))
            .select(Self::as_select())
            .load(conn)
            .await?;
        for r in rows {
            out.entry(r.order_id).or_default().push(r);
        }
        Ok(out)
    }

    /// An order's transactions, oldest first.
    pub async fn of_order(conn: &mut AsyncPgConnection, order_id: Uuid) -> DbResult<Vec<Self>> {
        Ok(payment_transactions::table
            .filter(payment_transactions::order_id.eq(order_id))
            .order((payment_transactions::created_at, payment_transactions::id))
            .select(Self::as_select())
            .load(conn)
            .await?)
    }
}

impl DomainEvent {
    /// Records an event in the caller's transaction and queues its id on
    /// [`EVENT_CHANNEL`] (PostgreSQL delivers the notification only when the transaction
    /// commits, so listeners never see an event that was rolled back).
    pub async fn record(
        conn: &mut AsyncPgConnection,
        kind: &str,
        entity_id: Option<Uuid>,
        customer_id: Option<Uuid>,
        payload: serde_json::Value,
    ) -> DbResult<Self> {
        let ev: Self = diesel::insert_into(domain_events::table)
            .values((
                domain_events::kind.eq(kind),
                domain_events::entity_id.eq(entity_id),
                domain_events::customer_id.eq(customer_id),
                domain_events::payload.eq(payload),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?;
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(EVENT_CHANNEL)
            .bind::<diesel::sql_types::Text, _>(ev.id.to_string())
            .execute(conn)
            .await?;
        Ok(ev)
    }

    /// Records several events in the caller's transaction with one insert and one notify
    /// statement (each `(kind, entity_id, customer_id, payload)`); ids follow the order given.
    pub async fn record_many(
        conn: &mut AsyncPgConnection,
        events: Vec<(&str, Option<Uuid>, Option<Uuid>, serde_json::Value)>,
    ) -> DbResult<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<_> = events
            .into_iter()
            .map(|(kind, entity_id, customer_id, payload)| {
                (
                    domain_events::kind.eq(kind),
                    domain_events::entity_id.eq(entity_id),
                    domain_events::customer_id.eq(customer_id),
                    domain_events::payload.eq(payload),
                )
            })
            .collect();
        let ids: Vec<i64> = diesel::insert_into(domain_events::table)
            .values(&rows)
            .returning(domain_events::id)
            .get_results(conn)
            .await?;
        diesel::sql_query("SELECT pg_notify($1, id::text) FROM unnest($2::int8[]) AS id")
            .bind::<diesel::sql_types::Text, _>(EVENT_CHANNEL)
            .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(&ids)
            .execute(conn)
            .await?;
        Ok(ids)
    }

    /// The events with these ids, by id.
    pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[i64]) -> DbResult<Vec<Self>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(domain_events::table
            .filter(domain_events::id.eq_any(ids))
            .order(domain_events::id)
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// At most `limit` committed events with an id above `after`, by id.
    pub async fn after(
        conn: &mut AsyncPgConnection,
        after: i64,
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        Ok(domain_events::table
            .filter(domain_events::id.gt(after))
            .order(domain_events::id)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// The highest committed event id (0 when there is none).
    pub async fn max_id(conn: &mut AsyncPgConnection) -> DbResult<i64> {
        Ok(domain_events::table
            .select(diesel::dsl::max(domain_events::id))
            .first::<Option<i64>>(conn)
            .await?
            .unwrap_or(0))
    }

    /// The events of an entity, oldest first.
    pub async fn of_entity(conn: &mut AsyncPgConnection, entity_id: Uuid) -> DbResult<Vec<Self>> {
        Ok(domain_events::table
            .filter(domain_events::entity_id.eq(entity_id))
            .order(domain_events::id)
            .select(Self::as_select())
            .load(conn)
            .await?)
    }
}

/// The unique constraint of `orders.order_number`.
pub const ORDER_NUMBER_CONSTRAINT: &str = "orders_order_number_key";

/// How many order numbers are tried before giving up.
pub const ORDER_NUMBER_ATTEMPTS: usize = 5;

/// A boxed insert attempt.
pub type InsertFuture<'c, T> = Pin<Box<dyn Future<Output = DbResult<T>> + Send + 'c>>;

/// Runs `insert` with a fresh order number from `next_number` until it does not collide with
/// an existing order (at most [`ORDER_NUMBER_ATTEMPTS`] times). `next_number` returns `None`
/// when no number can be made (the random source failed): [`DbError::Unavailable`]. Each attempt runs in its own
/// savepoint (or transaction), so a collision inside the checkout's transaction does not abort
/// it. Other conflicts (a guest token, a foreign key) are returned as they are.
pub async fn insert_with_unique_number<T, N, F>(
    conn: &mut AsyncPgConnection,
    mut next_number: N,
    mut insert: F,
) -> DbResult<T>
where
    T: Send,
    N: FnMut() -> Option<String>,
    F: for<'c> FnMut(&'c mut AsyncPgConnection, String) -> InsertFuture<'c, T> + Send,
{
    let mut last = None;
    for _ in 0..ORDER_NUMBER_ATTEMPTS {
        let number = next_number()
            .ok_or_else(|| DbError::Unavailable("no random source for order numbers".into()))?;
        let attempt = &mut insert;
        match conn
            .transaction::<T, DbError, _>(async move |tx| attempt(tx, number).await)
            .await
        {
            Err(DbError::Conflict { constraint }) if constraint == ORDER_NUMBER_CONSTRAINT => {
                tracing::warn!("order number collided; trying another");
                last = Some(DbError::Conflict { constraint });
            }
            other => return other,
        }
    }
    Err(last.unwrap_or(DbError::NotFound))
}

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
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
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

    /// At most `limit` committed events above `after` whose ids are not in `seen`, by id
    /// (the listener's sweep for events whose notification never came).
    pub async fn unseen_after(
        conn: &mut AsyncPgConnection,
        after: i64,
        seen: &[i64],
        limit: i64,
    ) -> DbResult<Vec<Self>> {
        Ok(domain_events::table
            .filter(domain_events::id.gt(after))
            .filter(diesel::dsl::not(domain_events::id.eq_any(seen)))
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

/// A `sql_query` whose SQL text never changes, kept as a prepared statement per connection.
/// Diesel treats every `sql_query` as possibly dynamic and never caches it, so PostgreSQL
/// parses, rewrites and plans it on every run (most of a checkout's server time went there).
#[derive(Debug, Clone)]
pub(crate) struct Prepared<Q>(pub(crate) Q);

impl<Q: diesel::query_builder::QueryFragment<diesel::pg::Pg>>
    diesel::query_builder::QueryFragment<diesel::pg::Pg> for Prepared<Q>
{
    fn walk_ast<'b>(
        &'b self,
        pass: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &diesel::pg::Pg) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> diesel::query_builder::QueryId for Prepared<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

/// The transaction-local setting that makes the catalog triggers (and
/// [`crate::models::stock::take_for_order`]) leave notifying to the caller, who sends the
/// notifications with [`notify_committed`] once the transaction has committed.
pub const DEFER_NOTIFY_SETTING: &str = "stoa.defer_notify";

/// The LISTEN/NOTIFY channel of catalog changes (payload: the table), sent by statement
/// triggers on the catalog tables; the storefront response caches listen on it.
pub const CATALOG_CHANNEL: &str = "stoa_catalog";

/// What the checkout reads for one line, in one statement for all lines: the product, its
/// tax rate, the variant asked for, how many active variants the product has and the
/// product's name in the best locale. Columns are `NULL` when a row does not exist.
#[derive(Debug, Clone, QueryableByName)]
pub struct CheckoutLine {
    /// Position of the line in the request (1-based).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub ord: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub product_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    pub product_active: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub currency: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub product_price_net: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub product_price_gross: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub product_sku: Option<String>,
    /// The product's tax rule rate (basis points); `None` without a rule.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub tax_rate: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub variant_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub variant_product_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    pub variant_active: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub variant_price_net: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Int4>)]
    pub variant_price_gross: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub variant_sku: Option<String>,
    /// Active variants of the product.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub active_variants: i64,
    /// The name in the requested locale, else the default locale, else the first locale.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name: Option<String>,
    /// Whether any payment method is active (then the checkout needs one).
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub payment_required: bool,
}

/// Reads every line of a checkout in one statement, one row per `(product, variant)` in the
/// order given (see [`CheckoutLine`]).
pub async fn checkout_lines(
    conn: &mut AsyncPgConnection,
    lines: &[(Uuid, Option<Uuid>)],
    locale: &str,
    default_locale: &str,
) -> DbResult<Vec<CheckoutLine>> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let pids: Vec<Uuid> = lines.iter().map(|l| l.0).collect();
    let vids: Vec<Option<Uuid>> = lines.iter().map(|l| l.1).collect();
    Ok(Prepared(
        diesel::sql_query(
            "SELECT l.ord, p.id AS product_id, p.active AS product_active, p.currency,
                p.price_net AS product_price_net, p.price_gross AS product_price_gross,
                p.sku AS product_sku, t.rate AS tax_rate,
                v.id AS variant_id, v.product_id AS variant_product_id, v.active AS variant_active,
                v.price_net AS variant_price_net, v.price_gross AS variant_price_gross,
                v.sku AS variant_sku,
                (SELECT count(*) FROM product_variants av
                  WHERE av.product_id = l.pid AND av.active) AS active_variants,
                (SELECT pt.name FROM product_translations pt WHERE pt.product_id = l.pid
                  ORDER BY pt.locale = $3 DESC, pt.locale = $4 DESC, pt.locale LIMIT 1) AS name,
                EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.active) AS payment_required
           FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS l(pid, vid, ord)
           LEFT JOIN products p ON p.id = l.pid
           LEFT JOIN tax_rules t ON t.id = p.tax_rule_id
           LEFT JOIN product_variants v ON v.id = l.vid
          ORDER BY l.ord",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(pids)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::Uuid>>, _>(
            vids,
        )
        .bind::<diesel::sql_types::Text, _>(locale)
        .bind::<diesel::sql_types::Text, _>(default_locale),
    )
    .load(conn)
    .await?)
}

#[derive(QueryableByName)]
struct PlacedRow {
    #[diesel(embed)]
    order: Order,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    event_id: i64,
}

/// A checkout's order as written by [`insert_checkout_order`].
#[derive(Debug, Clone)]
pub struct PlacedOrder {
    pub order: Order,
    pub items: Vec<OrderItem>,
    /// The `order.created` event (not notified yet: see [`notify_committed`]).
    pub event_id: i64,
}

/// Writes a checkout's order in **one** statement: the order row (status `pending`) with
/// `number`, its lines (in the given order; ids are time-ordered so they read back the same),
/// the creation history row (`''` → `pending`, `comment`) and the `order.created` event with
/// `event_payload`. `None` when `number` is taken (nothing was written; try another number),
/// without aborting the caller's transaction. It also defers the transaction's notifications
/// ([`DEFER_NOTIFY_SETTING`]): the caller sends them with [`notify_committed`] after the commit.
pub async fn insert_checkout_order(
    conn: &mut AsyncPgConnection,
    o: &super::checkout::NewOrder,
    number: &str,
    items: &[super::checkout::NewOrderItem],
    comment: &str,
    event_payload: &serde_json::Value,
) -> DbResult<Option<PlacedOrder>> {
    use diesel::sql_types::Uuid as SqlUuid;
    use diesel::sql_types::{Array, Int4, Jsonb, Nullable, Text};
    let item_ids: Vec<Uuid> = items.iter().map(|_| Uuid::now_v7()).collect();
    let row: Option<PlacedRow> = Prepared(
        diesel::sql_query(
            "WITH o AS (
           INSERT INTO orders (id, order_number, customer_id, guest_token, status, currency,
                  subtotal_net, subtotal_gross, discount_total, shipping_cost, tax_total, total,
                  billing_address, shipping_address, payment_method_id, shipping_method_id,
                  discount_id, discount_code, notes, payment_reference, custom_fields)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                  $16, $17, $18, $19, $20)
           ON CONFLICT (order_number) DO NOTHING
           RETURNING *
         ), i AS (
           INSERT INTO order_items (id, order_id, product_id, variant_id, sku, name, quantity,
                  unit_price_net, unit_price_gross, total_net, total_gross, tax_rate)
           SELECT l.id, o.id, l.product_id, l.variant_id, l.sku, l.name, l.quantity,
                  l.unit_price_net, l.unit_price_gross, l.total_net, l.total_gross, l.tax_rate
             FROM o, unnest($21::uuid[], $22::uuid[], $23::uuid[], $24::text[], $25::text[],
                  $26::int4[], $27::int4[], $28::int4[], $29::int4[], $30::int4[], $31::int4[])
                  AS l(id, product_id, variant_id, sku, name, quantity, unit_price_net,
                       unit_price_gross, total_net, total_gross, tax_rate)
         ), h AS (
           INSERT INTO order_status_history (id, order_id, from_status, to_status, comment)
           SELECT $32, o.id, '', o.status, $33 FROM o
         ), e AS (
           INSERT INTO domain_events (kind, entity_id, customer_id, payload)
           SELECT 'order.created', o.id, o.customer_id, $34 FROM o
           RETURNING id
         )
         SELECT o.*, e.id AS event_id, set_config('stoa.defer_notify', 'on', true) AS deferred
           FROM o, e",
        )
        .bind::<SqlUuid, _>(o.id)
        .bind::<Text, _>(number)
        .bind::<Nullable<SqlUuid>, _>(o.customer_id)
        .bind::<Nullable<Text>, _>(o.guest_token.as_deref())
        .bind::<Text, _>(&o.currency)
        .bind::<Int4, _>(o.subtotal_net)
        .bind::<Int4, _>(o.subtotal_gross)
        .bind::<Int4, _>(o.discount_total)
        .bind::<Int4, _>(o.shipping_cost)
        .bind::<Int4, _>(o.tax_total)
        .bind::<Int4, _>(o.total)
        .bind::<Jsonb, _>(&o.billing_address)
        .bind::<Jsonb, _>(&o.shipping_address)
        .bind::<Nullable<SqlUuid>, _>(o.payment_method_id)
        .bind::<Nullable<SqlUuid>, _>(o.shipping_method_id)
        .bind::<Nullable<SqlUuid>, _>(o.discount_id)
        .bind::<Text, _>(&o.discount_code)
        .bind::<Text, _>(&o.notes)
        .bind::<Text, _>(&o.payment_reference)
        .bind::<Jsonb, _>(&o.custom_fields)
        .bind::<Array<SqlUuid>, _>(&item_ids)
        .bind::<Array<SqlUuid>, _>(items.iter().map(|i| i.product_id).collect::<Vec<_>>())
        .bind::<Array<Nullable<SqlUuid>>, _>(items.iter().map(|i| i.variant_id).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(items.iter().map(|i| i.sku.as_str()).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.quantity).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.unit_price_net).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.unit_price_gross).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.total_net).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.total_gross).collect::<Vec<_>>())
        .bind::<Array<Int4>, _>(items.iter().map(|i| i.tax_rate).collect::<Vec<_>>())
        .bind::<SqlUuid, _>(Uuid::now_v7())
        .bind::<Text, _>(comment)
        .bind::<Jsonb, _>(event_payload),
    )
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| PlacedOrder {
        items: items
            .iter()
            .zip(item_ids)
            .map(|(i, id)| OrderItem {
                id,
                order_id: r.order.id,
                product_id: Some(i.product_id),
                variant_id: i.variant_id,
                sku: i.sku.clone(),
                name: i.name.clone(),
                quantity: i.quantity,
                unit_price_net: i.unit_price_net,
                unit_price_gross: i.unit_price_gross,
                total_net: i.total_net,
                total_gross: i.total_gross,
                tax_rate: i.tax_rate,
            })
            .collect(),
        order: r.order,
        event_id: r.event_id,
    }))
}

/// Sends, after the commit, the notifications a transaction deferred
/// ([`DEFER_NOTIFY_SETTING`]): each event id on [`EVENT_CHANNEL`] and each catalog table on
/// [`CATALOG_CHANNEL`], in one statement. That statement is its own transaction and commits
/// without waiting for its WAL flush (`synchronous_commit` off for it alone): it writes no
/// data, and notifications do not survive a crash anyway. So PostgreSQL's global notification
/// lock is held for microseconds, never across a commit's flush, and concurrent checkouts
/// commit (and flush) in groups.
pub async fn notify_committed(
    conn: &mut AsyncPgConnection,
    event_ids: &[i64],
    catalog_tables: &[&str],
) -> DbResult<()> {
    let mut channels = Vec::with_capacity(event_ids.len() + catalog_tables.len());
    let mut payloads = Vec::with_capacity(channels.capacity());
    for id in event_ids {
        channels.push(EVENT_CHANNEL);
        payloads.push(id.to_string());
    }
    for t in catalog_tables {
        channels.push(CATALOG_CHANNEL);
        payloads.push((*t).to_owned());
    }
    if channels.is_empty() {
        return Ok(());
    }
    Prepared(
        diesel::sql_query(
            "SELECT set_config('synchronous_commit', 'off', true), pg_notify(n.channel, n.payload)
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(channel, payload, ord)
          ORDER BY n.ord",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(channels)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(payloads),
    )
    .execute(conn)
    .await?;
    Ok(())
}

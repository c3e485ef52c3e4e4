//! The stock domain of orders: taking an order's lines out of warehouse stock inside the
//! checkout's transaction, and putting them back when the order is cancelled or refunded.
//!
//! Deadlock freedom: every function that locks `warehouse_stock` rows for several products
//! locks them with **one** `SELECT … FOR UPDATE`, in one global order (product, variant with
//! "no variant" first, warehouse priority, row id). Two transactions that need overlapping
//! rows therefore always queue on the first row they share and never hold one row each of
//! what the other wants (the reference locks per line in request order and can deadlock).

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Int4, Nullable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog_write::resync_stock;
use super::orders::Prepared;
use crate::error::DbError;
use crate::schema::{orders, stock_movements};

/// One order line as stock sees it: product, variant (none for a product without variants)
/// and the quantity (≥ 1).
pub type StockLineQty = (Uuid, Option<Uuid>, i32);

/// Why stock could not be taken or given back.
#[derive(Debug, thiserror::Error)]
pub enum StockError {
    /// Active warehouses do not hold enough of the line and no allow-negative warehouse holds
    /// a row for it. The caller rolls its transaction back.
    #[error("insufficient stock for product {product_id} (variant {variant_id:?})")]
    InsufficientStock {
        product_id: Uuid,
        variant_id: Option<Uuid>,
    },
    /// A line with a quantity below 1.
    #[error("invalid quantity {quantity} for product {product_id}")]
    InvalidQuantity { product_id: Uuid, quantity: i32 },
    /// The database refused.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for StockError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e.into())
    }
}

/// One warehouse row the deduction took from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub stock_id: Uuid,
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    /// Taken (positive).
    pub quantity: i32,
}

#[derive(Debug, QueryableByName)]
struct LockedRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    warehouse_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    product_id: Uuid,
    #[diesel(sql_type = Nullable<diesel::sql_types::Uuid>)]
    variant_id: Option<Uuid>,
    #[diesel(sql_type = Int4)]
    quantity: i32,
    #[diesel(sql_type = Bool)]
    allow_negative_stock: bool,
}

/// The one global lock order of stock rows. `active_only`: rows of inactive warehouses are
/// neither locked nor returned.
const LOCK_ROWS: &str = "SELECT ws.id, ws.warehouse_id, ws.product_id, ws.variant_id, ws.quantity,
        w.allow_negative_stock
   FROM warehouse_stock ws
   JOIN warehouses w ON w.id = ws.warehouse_id
   JOIN unnest($1::uuid[], $2::uuid[]) AS l(product_id, variant_id)
     ON ws.product_id = l.product_id AND ws.variant_id IS NOT DISTINCT FROM l.variant_id
  WHERE w.active OR NOT $3
  ORDER BY ws.product_id, ws.variant_id NULLS FIRST, w.priority, ws.id
  FOR UPDATE OF ws";

async fn lock_rows(
    conn: &mut AsyncPgConnection,
    keys: &[(Uuid, Option<Uuid>)],
    active_only: bool,
) -> Result<Vec<LockedRow>, DbError> {
    let pids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
    let vids: Vec<Option<Uuid>> = keys.iter().map(|k| k.1).collect();
    Ok(Prepared(
        diesel::sql_query(LOCK_ROWS)
            .bind::<Array<diesel::sql_types::Uuid>, _>(pids)
            .bind::<Array<Nullable<diesel::sql_types::Uuid>>, _>(vids)
            .bind::<Bool, _>(active_only),
    )
    .load(conn)
    .await?)
}

/// Sorts keys the way rows are locked (`None` first, as `NULLS FIRST`).
fn merge_lines(lines: &[StockLineQty]) -> Result<BTreeMap<(Uuid, Option<Uuid>), i32>, StockError> {
    let mut merged: BTreeMap<(Uuid, Option<Uuid>), i32> = BTreeMap::new();
    for &(product_id, variant_id, quantity) in lines {
        if quantity < 1 {
            return Err(StockError::InvalidQuantity {
                product_id,
                quantity,
            });
        }
        let q = merged.entry((product_id, variant_id)).or_insert(0);
        *q = q.saturating_add(quantity);
    }
    Ok(merged)
}

/// Plans the deduction of each line from its locked rows: greedily by warehouse priority
/// from rows holding stock, the remainder from the first allow-negative row.
fn plan(
    merged: &BTreeMap<(Uuid, Option<Uuid>), i32>,
    rows: &[LockedRow],
) -> Result<Vec<Deduction>, StockError> {
    let mut out = Vec::new();
    for (&(product_id, variant_id), &wanted) in merged {
        let candidates: Vec<&LockedRow> = rows
            .iter()
            .filter(|r| r.product_id == product_id && r.variant_id == variant_id)
            .collect();
        let mut remaining = wanted;
        for r in &candidates {
            if remaining == 0 {
                break;
            }
            let take = remaining.min(r.quantity.max(0));
            if take > 0 {
                out.push(Deduction {
                    stock_id: r.id,
                    warehouse_id: r.warehouse_id,
                    product_id,
                    variant_id,
                    quantity: take,
                });
                remaining -= take;
            }
        }
        if remaining > 0 {
            let Some(r) = candidates.iter().find(|r| r.allow_negative_stock) else {
                return Err(StockError::InsufficientStock {
                    product_id,
                    variant_id,
                });
            };
            match out.iter_mut().find(|d| d.stock_id == r.id) {
                Some(d) => d.quantity += remaining,
                None => out.push(Deduction {
                    stock_id: r.id,
                    warehouse_id: r.warehouse_id,
                    product_id,
                    variant_id,
                    quantity: remaining,
                }),
            }
        }
    }
    Ok(out)
}

/// Applies signed quantity changes to stock rows and writes one movement per row.
async fn apply(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    changes: &[(Deduction, i32)],
    movement_type: &str,
    reference: &str,
) -> Result<(), DbError> {
    if changes.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = changes.iter().map(|(d, _)| d.stock_id).collect();
    let deltas: Vec<i32> = changes.iter().map(|(_, delta)| *delta).collect();
    diesel::sql_query(
        "UPDATE warehouse_stock ws SET quantity = ws.quantity + d.delta, updated_at = NOW()
           FROM unnest($1::uuid[], $2::int4[]) AS d(id, delta) WHERE ws.id = d.id",
    )
    .bind::<Array<diesel::sql_types::Uuid>, _>(ids)
    .bind::<Array<Int4>, _>(deltas)
    .execute(conn)
    .await?;
    let movements: Vec<_> = changes
        .iter()
        .map(|(d, delta)| {
            (
                stock_movements::id.eq(Uuid::now_v7()),
                stock_movements::warehouse_id.eq(d.warehouse_id),
                stock_movements::product_id.eq(d.product_id),
                stock_movements::variant_id.eq(d.variant_id),
                stock_movements::order_id.eq(Some(order_id)),
                stock_movements::movement_type.eq(movement_type),
                stock_movements::quantity.eq(*delta),
                stock_movements::reference.eq(reference),
            )
        })
        .collect();
    diesel::insert_into(stock_movements::table)
        .values(&movements)
        .execute(conn)
        .await?;
    let pids: Vec<Uuid> = changes
        .iter()
        .map(|(d, _)| d.product_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    resync_stock(conn, &pids).await
}

/// Takes an order's lines out of stock. Call it **inside the checkout's transaction**, after
/// the order row exists: on `Err` the caller rolls back and nothing was taken.
///
/// Locks every stock row of every line at once (see the module notes), deducts greedily by
/// warehouse priority from active warehouses, puts remainders on an allow-negative
/// warehouse's row (it may go negative), writes `sale` movements (−qty, reference
/// `order:<id>`, `order_id` set) and re-derives product and variant stock (see
/// [`take_for_order`], which also returns the `stock.changed` events).
pub async fn deduct_for_order(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    lines: &[StockLineQty],
) -> Result<Vec<Deduction>, StockError> {
    let merged = merge_lines(lines)?;
    if merged.is_empty() {
        return Ok(Vec::new());
    }
    Ok(take_for_order(conn, order_id, lines).await?.deductions)
}

/// What [`take_for_order`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// The warehouse rows taken from.
    pub deductions: Vec<Deduction>,
    /// The `stock.changed` events written, by id. Already notified unless the transaction
    /// defers its notifications ([`crate::models::orders::DEFER_NOTIFY_SETTING`]).
    pub event_ids: Vec<i64>,
}

#[derive(Debug, QueryableByName)]
struct EventId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// [`deduct_for_order`] in three statements: the stock rows are locked (and the deduction
/// planned), then the products' rows, then **one** statement updates the stock rows, writes
/// the `sale` movements, re-derives the variant and product totals (the statement's snapshot
/// plus its own changes: every row summed is locked or committed) and records one
/// `stock.changed` event per changed total (per product: the product's first, then its
/// variants'). Events are notified unless the transaction defers its notifications.
pub async fn take_for_order(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    lines: &[StockLineQty],
) -> Result<Taken, StockError> {
    use diesel::sql_types::{Text, Uuid as SqlUuid};
    let merged = merge_lines(lines)?;
    if merged.is_empty() {
        return Ok(Taken {
            deductions: Vec::new(),
            event_ids: Vec::new(),
        });
    }
    let keys: Vec<(Uuid, Option<Uuid>)> = merged.keys().copied().collect();
    let rows = lock_rows(conn, &keys, true).await?;
    let deductions = plan(&merged, &rows)?;
    if deductions.is_empty() {
        return Ok(Taken {
            deductions,
            event_ids: Vec::new(),
        });
    }
    // The products' rows too (after every stock row, in id order, as a re-derivation
    // would): a concurrent checkout of a sibling variant then commits before the next
    // statement's snapshot is taken, so the product totals below see its rows.
    let pids: Vec<Uuid> = merged
        .keys()
        .map(|k| k.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Prepared(
        diesel::sql_query(
            "SELECT id FROM products WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
        )
        .bind::<Array<SqlUuid>, _>(&pids),
    )
    .execute(conn)
    .await?;
    let events: Vec<EventId> = Prepared(
        diesel::sql_query(
        "WITH d AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[],
                  $6::int4[]) AS d(stock_id, movement_id, warehouse_id, product_id, variant_id, delta)
         ), ws AS (
           UPDATE warehouse_stock ws SET quantity = ws.quantity + d.delta, updated_at = NOW()
             FROM d WHERE ws.id = d.stock_id
         ), m AS (
           INSERT INTO stock_movements (id, warehouse_id, product_id, variant_id, order_id,
                  movement_type, quantity, reference)
           SELECT d.movement_id, d.warehouse_id, d.product_id, d.variant_id, $7, 'sale', d.delta, $8
             FROM d
         ), v AS (
           UPDATE product_variants v SET stock = s.stock
             FROM (SELECT k.variant_id, (COALESCE((SELECT SUM(ws.quantity) FROM warehouse_stock ws
                            JOIN warehouses w ON w.id = ws.warehouse_id
                           WHERE w.active AND ws.variant_id = k.variant_id), 0) + k.delta)::int4 AS stock
                     FROM (SELECT variant_id, SUM(delta) AS delta FROM d
                            WHERE variant_id IS NOT NULL GROUP BY variant_id) k) s
            WHERE v.id = s.variant_id AND v.stock <> s.stock
           RETURNING v.product_id, v.id AS variant_id, v.stock
         ), p AS (
           UPDATE products p SET stock = s.stock
             FROM (SELECT k.product_id, (COALESCE((SELECT SUM(ws.quantity) FROM warehouse_stock ws
                            JOIN warehouses w ON w.id = ws.warehouse_id
                           WHERE w.active AND ws.product_id = k.product_id), 0) + k.delta)::int4 AS stock
                     FROM (SELECT product_id, SUM(delta) AS delta FROM d GROUP BY product_id) k) s
            WHERE p.id = s.product_id AND p.stock <> s.stock
           RETURNING p.id AS product_id, NULL::uuid AS variant_id, p.stock
         ), e AS (
           INSERT INTO domain_events (kind, entity_id, payload)
           SELECT 'stock.changed', c.product_id, jsonb_build_object('product_id', c.product_id,
                  'variant_id', c.variant_id, 'stock', c.stock)
             FROM (SELECT * FROM v UNION ALL SELECT * FROM p) c
            ORDER BY c.product_id, c.variant_id NULLS FIRST
           RETURNING id
         )
         SELECT e.id, CASE WHEN current_setting('stoa.defer_notify', true) = 'on' THEN ''
                      ELSE pg_notify('stoa_events', e.id::text)::text END AS notified
           FROM e ORDER BY e.id",
    )
    .bind::<Array<SqlUuid>, _>(deductions.iter().map(|d| d.stock_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(deductions.iter().map(|_| Uuid::now_v7()).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(deductions.iter().map(|d| d.warehouse_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(deductions.iter().map(|d| d.product_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<SqlUuid>>, _>(
        deductions.iter().map(|d| d.variant_id).collect::<Vec<_>>(),
    )
    .bind::<Array<Int4>, _>(deductions.iter().map(|d| -d.quantity).collect::<Vec<_>>())
    .bind::<SqlUuid, _>(order_id)
    .bind::<Text, _>(format!("order:{order_id}")),
    )
    .load(conn)
    .await?;
    Ok(Taken {
        deductions,
        event_ids: events.into_iter().map(|e| e.id).collect(),
    })
}

#[derive(Debug, QueryableByName)]
struct SaleRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    warehouse_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    product_id: Uuid,
    #[diesel(sql_type = Nullable<diesel::sql_types::Uuid>)]
    variant_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    sold: i64,
}

/// Gives back everything an order took: every `sale` movement of the order is reversed
/// (+qty to the same warehouse row, re-created when an admin removed it meanwhile) with
/// `return` movements (reference `restore:order:<id>`), then product and variant stock are
/// re-derived. Idempotent: the order row is locked, and an order that already has its
/// restore movements is left alone. Returns the number of units given back (0 when there
/// was nothing to give back or it was already given back).
pub async fn restore_for_order(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
) -> Result<i64, StockError> {
    // Serializes concurrent restores of the same order.
    let exists: Option<Uuid> = orders::table
        .find(order_id)
        .select(orders::id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if exists.is_none() {
        return Err(StockError::Db(DbError::NotFound));
    }
    let reference = format!("restore:order:{order_id}");
    let already: i64 = stock_movements::table
        .filter(stock_movements::order_id.eq(order_id))
        .filter(stock_movements::movement_type.eq("return"))
        .filter(stock_movements::reference.eq(&reference))
        .count()
        .get_result(conn)
        .await?;
    if already > 0 {
        return Ok(0);
    }
    let sales: Vec<SaleRow> = diesel::sql_query(
        "SELECT warehouse_id, product_id, variant_id, -SUM(quantity)::int8 AS sold
           FROM stock_movements WHERE order_id = $1 AND movement_type = 'sale'
          GROUP BY warehouse_id, product_id, variant_id
         HAVING SUM(quantity) < 0",
    )
    .bind::<diesel::sql_types::Uuid, _>(order_id)
    .load(conn)
    .await?;
    if sales.is_empty() {
        return Ok(0);
    }
    let keys: Vec<(Uuid, Option<Uuid>)> = sales
        .iter()
        .map(|s| (s.product_id, s.variant_id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rows = lock_rows(conn, &keys, false).await?;
    let mut changes = Vec::new();
    let mut total = 0i64;
    for s in &sales {
        let back = i32::try_from(s.sold).unwrap_or(i32::MAX);
        total += i64::from(back);
        let row = rows.iter().find(|r| {
            r.warehouse_id == s.warehouse_id
                && r.product_id == s.product_id
                && r.variant_id == s.variant_id
        });
        let stock_id = match row {
            Some(r) => r.id,
            None => recreate_row(conn, s).await?,
        };
        changes.push((
            Deduction {
                stock_id,
                warehouse_id: s.warehouse_id,
                product_id: s.product_id,
                variant_id: s.variant_id,
                quantity: back,
            },
            back,
        ));
    }
    apply(conn, order_id, &changes, "return", &reference).await?;
    Ok(total)
}

/// A stock row at 0 for a sale whose row was removed since (the return lands on it).
async fn recreate_row(conn: &mut AsyncPgConnection, s: &SaleRow) -> Result<Uuid, DbError> {
    use crate::schema::warehouse_stock;
    Ok(diesel::insert_into(warehouse_stock::table)
        .values((
            warehouse_stock::id.eq(Uuid::now_v7()),
            warehouse_stock::warehouse_id.eq(s.warehouse_id),
            warehouse_stock::product_id.eq(s.product_id),
            warehouse_stock::variant_id.eq(s.variant_id),
            warehouse_stock::quantity.eq(0),
        ))
        .returning(warehouse_stock::id)
        .get_result(conn)
        .await?)
}

/// The `sale` movements of an order as `(warehouse, product, variant, quantity)` (negative).
pub async fn sales_of_order(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
) -> Result<Vec<(Uuid, Uuid, Option<Uuid>, i32)>, DbError> {
    Ok(stock_movements::table
        .filter(stock_movements::order_id.eq(order_id))
        .filter(stock_movements::movement_type.eq("sale"))
        .order(stock_movements::id)
        .select((
            stock_movements::warehouse_id,
            stock_movements::product_id,
            stock_movements::variant_id,
            stock_movements::quantity,
        ))
        .load(conn)
        .await?)
}

//! Discount codes: maintenance, lookup by code (case-insensitive, as the unique index on
//! `UPPER(code)`), and the atomic redemption that checkout runs inside its order
//! transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog_manage::escape_like;
use crate::error::{DbError, DbResult};
use crate::schema::discounts;

diesel::define_sql_function! {
    /// SQL `UPPER(text)`, matching the `UPPER(code)` unique index.
    fn upper(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A discount code.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = discounts, check_for_backend(diesel::pg::Pg))]
pub struct Discount {
    pub id: Uuid,
    pub code: String,
    /// `percentage` or `fixed`.
    #[diesel(column_name = type_)]
    pub kind: String,
    /// Basis points for `percentage` (1000 = 10 %), minor units for `fixed`.
    pub value: i32,
    /// Minor units; 0 = no minimum.
    pub min_order_value: i32,
    /// `None` = unlimited.
    pub max_uses: Option<i32>,
    pub used_count: i32,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub active: bool,
    pub conditions: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The writable fields of a discount (a create, or the merged state of an update).
#[derive(Debug, Clone, PartialEq)]
pub struct DiscountWrite {
    pub code: String,
    pub kind: String,
    pub value: i32,
    pub min_order_value: i32,
    pub max_uses: Option<i32>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub active: bool,
    pub conditions: serde_json::Value,
}

impl From<&Discount> for DiscountWrite {
    fn from(d: &Discount) -> Self {
        Self {
            code: d.code.clone(),
            kind: d.kind.clone(),
            value: d.value,
            min_order_value: d.min_order_value,
            max_uses: d.max_uses,
            valid_from: d.valid_from,
            valid_until: d.valid_until,
            active: d.active,
            conditions: d.conditions.clone(),
        }
    }
}

/// Filters of the admin list.
#[derive(Debug, Clone, Default)]
pub struct DiscountFilter {
    /// Exact type (`percentage` / `fixed`).
    pub kind: Option<String>,
    /// Case-insensitive substring of the code.
    pub code: Option<String>,
    pub active: Option<bool>,
}

impl Discount {
    /// A page of discounts, newest first.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        filter: &DiscountFilter,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let pattern = filter
            .code
            .as_deref()
            .map(|c| format!("%{}%", escape_like(c)));
        let mut count = discounts::table.count().into_boxed();
        let mut q = discounts::table.select(Self::as_select()).into_boxed();
        if let Some(k) = &filter.kind {
            count = count.filter(discounts::type_.eq(k.clone()));
            q = q.filter(discounts::type_.eq(k.clone()));
        }
        if let Some(p) = &pattern {
            count = count.filter(discounts::code.ilike(p.clone()));
            q = q.filter(discounts::code.ilike(p.clone()));
        }
        if let Some(a) = filter.active {
            count = count.filter(discounts::active.eq(a));
            q = q.filter(discounts::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows = q
            .order((discounts::created_at.desc(), discounts::id.desc()))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// A discount by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(discounts::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// A discount by code, ignoring case (`sommer20` finds `SOMMER20`); surrounding
    /// whitespace is ignored too.
    pub async fn by_code(conn: &mut AsyncPgConnection, code: &str) -> DbResult<Option<Self>> {
        Ok(discounts::table
            .filter(upper(discounts::code).eq(code.trim().to_uppercase()))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Creates a discount; a code taken in any case is a conflict
    /// (`idx_discounts_code_upper`).
    pub async fn create(conn: &mut AsyncPgConnection, w: &DiscountWrite) -> DbResult<Self> {
        Ok(diesel::insert_into(discounts::table)
            .values((
                discounts::id.eq(Uuid::now_v7()),
                discounts::code.eq(&w.code),
                discounts::type_.eq(&w.kind),
                discounts::value.eq(w.value),
                discounts::min_order_value.eq(w.min_order_value),
                discounts::max_uses.eq(w.max_uses),
                discounts::valid_from.eq(w.valid_from),
                discounts::valid_until.eq(w.valid_until),
                discounts::active.eq(w.active),
                discounts::conditions.eq(&w.conditions),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Changes a discount under a row lock: `edit` receives the current row and its
    /// writable fields, changes the fields and may refuse (its error is returned as
    /// `Some(Err(_))`, nothing is written). `None` when the discount does not exist;
    /// otherwise the rows before and after. Redemptions wait for the lock, so `edit` sees
    /// the final `used_count`.
    pub async fn update<E, F>(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        edit: F,
    ) -> DbResult<Option<Result<(Self, Self), E>>>
    where
        E: Send + 'static,
        F: FnOnce(&Self, &mut DiscountWrite) -> Result<(), E> + Send + 'static,
    {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let before: Option<Self> = discounts::table
                .find(id)
                .select(Self::as_select())
                .for_update()
                .first(tx)
                .await
                .optional()?;
            let Some(before) = before else {
                return Ok(None);
            };
            let mut w = DiscountWrite::from(&before);
            if let Err(e) = edit(&before, &mut w) {
                return Ok(Some(Err(e)));
            }
            let after: Self = diesel::update(discounts::table.find(id))
                .set((
                    discounts::code.eq(&w.code),
                    discounts::type_.eq(&w.kind),
                    discounts::value.eq(w.value),
                    discounts::min_order_value.eq(w.min_order_value),
                    discounts::max_uses.eq(w.max_uses),
                    discounts::valid_from.eq(w.valid_from),
                    discounts::valid_until.eq(w.valid_until),
                    discounts::active.eq(w.active),
                    discounts::conditions.eq(&w.conditions),
                    discounts::updated_at.eq(Utc::now()),
                ))
                .returning(Self::as_returning())
                .get_result(tx)
                .await?;
            Ok(Some(Ok((before, after))))
        })
        .await
    }

    /// Deletes a discount; `false` when it does not exist. A discount an order used is
    /// kept (`orders.discount_id` is `ON DELETE RESTRICT`): a [`DbError::Conflict`].
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(discounts::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }

    /// Redeems a discount once: one `UPDATE … SET used_count = used_count + 1` guarded by
    /// `active`, `max_uses`, `valid_from` and `valid_until` (against the database clock).
    /// Concurrent redemptions serialise on the row and re-check the guard, so `used_count`
    /// can never pass `max_uses`. `false` when the discount does not exist or is not
    /// redeemable now. Runs on whatever connection it gets: inside a caller's transaction
    /// (checkout's order transaction) the increment commits or rolls back with it.
    pub async fn redeem(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        let now = diesel::dsl::now.into_sql::<diesel::sql_types::Timestamptz>();
        let redeemed: Option<Uuid> = diesel::update(
            discounts::table
                .filter(discounts::id.eq(id))
                .filter(discounts::active)
                .filter(
                    discounts::max_uses
                        .is_null()
                        .or(discounts::used_count.nullable().lt(discounts::max_uses)),
                )
                .filter(
                    discounts::valid_from
                        .is_null()
                        .or(discounts::valid_from.le(now.nullable())),
                )
                .filter(
                    discounts::valid_until
                        .is_null()
                        .or(discounts::valid_until.gt(now.nullable())),
                ),
        )
        .set((
            discounts::used_count.eq(discounts::used_count + 1),
            discounts::updated_at.eq(Utc::now()),
        ))
        .returning(discounts::id)
        .get_result(conn)
        .await
        .optional()?;
        Ok(redeemed.is_some())
    }
}

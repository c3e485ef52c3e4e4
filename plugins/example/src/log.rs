//! The plugin's table, `order_guard.log` (migration under `plugins/example/migrations/`),
//! and its queries.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

diesel::table! {
    /// `order_guard.log`: one row per order the `checkout.after` hook saw committed.
    order_guard.log (id) {
        id -> Uuid,
        order_id -> Uuid,
        order_number -> Text,
        status -> Text,
        total -> Int4,
        currency -> Text,
        seen_at -> Timestamptz,
    }
}

/// One logged order.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = log)]
pub struct LogEntry {
    pub id: Uuid,
    pub order_id: Uuid,
    pub order_number: String,
    pub status: String,
    pub total: i32,
    pub currency: String,
    pub seen_at: DateTime<Utc>,
}

/// What the hook records.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = log)]
pub struct NewLogEntry<'a> {
    pub id: Uuid,
    pub order_id: Uuid,
    pub order_number: &'a str,
    pub status: &'a str,
    pub total: i32,
    pub currency: &'a str,
}

impl LogEntry {
    /// Records an order once (a second call for the same order changes nothing).
    pub async fn record(conn: &mut AsyncPgConnection, new: NewLogEntry<'_>) -> QueryResult<()> {
        diesel::insert_into(log::table)
            .values(&new)
            .on_conflict(log::order_id)
            .do_nothing()
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// The newest `limit` entries, newest first.
    pub async fn newest(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<Self>> {
        log::table
            .select(Self::as_select())
            .order((log::seen_at.desc(), log::id.desc()))
            .limit(limit)
            .load(conn)
            .await
    }

    /// How many orders are logged.
    pub async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        log::table.count().get_result(conn).await
    }

    /// Empties the log; returns how many entries were removed.
    pub async fn clear(conn: &mut AsyncPgConnection) -> QueryResult<usize> {
        diesel::delete(log::table).execute(conn).await
    }
}

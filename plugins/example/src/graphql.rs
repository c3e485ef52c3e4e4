//! The plugin's GraphQL fields, merged into the server's query and mutation roots
//! (`server/src/plugins.rs`). Guards are the core's, so permissions hold as for core fields.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_resolvers::domain::auth::Permission;
use stoa_resolvers::guard::StaffGuard;
use stoa_resolvers::{ApiError, AppState};
use uuid::Uuid;

use crate::log::LogEntry;

/// An order the `order_guard` plugin saw committed (its `checkout.after` hook).
#[derive(Debug, Clone, SimpleObject)]
pub struct OrderGuardLogEntry {
    pub order_id: Uuid,
    pub order_number: String,
    /// The order's status when the hook read it from its own connection.
    pub status: String,
    /// The order total in minor units.
    pub total: i32,
    pub currency: String,
    pub seen_at: DateTime<Utc>,
}

impl From<LogEntry> for OrderGuardLogEntry {
    fn from(e: LogEntry) -> Self {
        Self {
            order_id: e.order_id,
            order_number: e.order_number,
            status: e.status,
            total: e.total,
            currency: e.currency,
            seen_at: e.seen_at,
        }
    }
}

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn> {
    let state = ctx.data::<AppState>()?;
    Ok(stoa_db::pool::conn(&state.pool)
        .await
        .map_err(ApiError::from)?)
}

/// Query fields of `order_guard`.
#[derive(Default)]
pub struct OrderGuardQuery;

#[Object]
impl OrderGuardQuery {
    /// Plugin `order_guard`: the orders its `checkout.after` hook saw committed, newest
    /// first; `limit` 1 to 200, default 50 (`orders.read`).
    #[graphql(guard = "StaffGuard(Permission::OrdersRead)")]
    async fn order_guard_log(
        &self,
        ctx: &Context<'_>,
        limit: Option<i32>,
    ) -> Result<Vec<OrderGuardLogEntry>> {
        let limit = match limit {
            None => 50,
            Some(l) if (1..=200).contains(&l) => l,
            Some(_) => return Err(ApiError::invalid("limit", "limit must be 1 to 200").into()),
        };
        let mut c = conn(ctx).await?;
        let rows = LogEntry::newest(&mut c, i64::from(limit))
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// Mutation fields of `order_guard`.
#[derive(Default)]
pub struct OrderGuardMutation;

#[Object]
impl OrderGuardMutation {
    /// Plugin `order_guard`: empties its log; returns how many entries were removed
    /// (`orders.update`; audited).
    #[graphql(guard = "StaffGuard(Permission::OrdersUpdate)")]
    async fn clear_order_guard_log(&self, ctx: &Context<'_>) -> Result<i32> {
        let mut c = conn(ctx).await?;
        let removed = LogEntry::clear(&mut c).await.map_err(ApiError::from)?;
        stoa_resolvers::audit::record(
            ctx,
            &mut c,
            "clear",
            "order_guard_log",
            None,
            serde_json::json!({ "removed": removed }),
        )
        .await?;
        Ok(i32::try_from(removed).unwrap_or(i32::MAX))
    }
}

//! The audit log: written by every staff mutation, read with `audit.read`.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::{AuditFilter, AuditLog, NewAuditLog};
use stoa_db::{AsyncPgConnection, pool};
use uuid::Uuid;

use crate::domain::auth::Permission;
use crate::error::{ApiError, ApiResult};
use crate::guard::{StaffGuard, principal};
use crate::state::{AppState, RequestMeta};

/// Writes an audit entry for the current principal.
pub async fn record(
    ctx: &async_graphql::Context<'_>,
    conn: &mut AsyncPgConnection,
    action: &str,
    entity_type: &str,
    entity_id: Option<Uuid>,
    changes: serde_json::Value,
) -> ApiResult<()> {
    let p = principal(ctx);
    let meta = ctx.data_opt::<RequestMeta>();
    let ip = meta
        .and_then(|m| m.ip)
        .map(stoa_db::ipnetwork::IpNetwork::from);
    let channel = meta.map(|m| m.channel).unwrap_or_default();
    AuditLog::insert(
        conn,
        NewAuditLog {
            id: Uuid::now_v7(),
            user_id: p.audit_id(),
            user_type: p.audit_type().to_owned(),
            action: action.to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id,
            changes,
            ip_address: ip,
            channel: channel.as_str().to_owned(),
        },
    )
    .await?;
    Ok(())
}

/// One audit entry.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    /// `admin`, `customer` or `api_key`.
    pub user_type: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// The changed fields, as JSON.
    pub changes: async_graphql::Json<serde_json::Value>,
    /// The client address, without a prefix length.
    pub ip_address: Option<String>,
    /// `graphql`, `rest` or `mcp` (an agent's tool call).
    pub channel: String,
    pub created_at: DateTime<Utc>,
}

/// A page of audit entries.
#[derive(SimpleObject)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Audit entries, newest first (`audit.read`).
    #[graphql(guard = "StaffGuard(Permission::AuditRead)")]
    #[expect(
        clippy::too_many_arguments,
        reason = "GraphQL field arguments: each filter is one argument"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Starting at 1 (default).")] page: Option<i64>,
        #[graphql(desc = "1 to 200, default 20.")] limit: Option<i64>,
        entity_type: Option<String>,
        action: Option<String>,
        user_id: Option<Uuid>,
        entity_id: Option<Uuid>,
        #[graphql(desc = "`graphql`, `rest` or `mcp`.")] channel: Option<String>,
    ) -> Result<AuditPage> {
        let s = ctx.data_unchecked::<AppState>();
        let page = page.unwrap_or(1).max(1);
        let limit = limit.filter(|l| (1..=200).contains(l)).unwrap_or(20);
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let filter = AuditFilter {
            entity_type: entity_type.filter(|s| !s.is_empty()),
            action: action.filter(|s| !s.is_empty()),
            user_id,
            entity_id,
            channel: channel.filter(|s| !s.is_empty()),
        };
        let (rows, total) = AuditLog::page(&mut c, &filter, (page - 1) * limit, limit)
            .await
            .map_err(ApiError::from)?;
        let items = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                user_id: r.user_id,
                user_type: r.user_type,
                action: r.action,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                changes: async_graphql::Json(r.changes),
                ip_address: r.ip_address.map(|n| n.ip().to_string()),
                channel: r.channel,
                created_at: r.created_at,
            })
            .collect();
        Ok(AuditPage {
            items,
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }
}

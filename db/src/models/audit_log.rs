//! The audit log: who changed what, from where.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use ipnetwork::IpNetwork;
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::audit_logs;

/// One audit entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_logs, check_for_backend(diesel::pg::Pg))]
pub struct AuditLog {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub user_type: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    pub changes: serde_json::Value,
    pub ip_address: Option<IpNetwork>,
    pub created_at: DateTime<Utc>,
    /// `graphql`, `rest` or `mcp`.
    pub channel: String,
}

/// Values for a new entry.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_logs)]
pub struct NewAuditLog {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub user_type: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    pub changes: serde_json::Value,
    pub ip_address: Option<IpNetwork>,
    pub channel: String,
}

/// Filters of the audit list (all optional, combined with AND).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub action: Option<String>,
    pub user_id: Option<Uuid>,
    pub entity_id: Option<Uuid>,
    pub channel: Option<String>,
}

impl AuditLog {
    /// Writes an entry.
    pub async fn insert(conn: &mut AsyncPgConnection, entry: NewAuditLog) -> DbResult<()> {
        diesel::insert_into(audit_logs::table)
            .values(entry)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// A page of entries, newest first, with the total count.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let build = || {
            let mut q = audit_logs::table.into_boxed();
            if let Some(t) = &filter.entity_type {
                q = q.filter(audit_logs::entity_type.eq(t.clone()));
            }
            if let Some(a) = &filter.action {
                q = q.filter(audit_logs::action.eq(a.clone()));
            }
            if let Some(u) = filter.user_id {
                q = q.filter(audit_logs::user_id.eq(u));
            }
            if let Some(e) = filter.entity_id {
                q = q.filter(audit_logs::entity_id.eq(e));
            }
            if let Some(ch) = &filter.channel {
                q = q.filter(audit_logs::channel.eq(ch.clone()));
            }
            q
        };
        let total: i64 = build().count().get_result(conn).await?;
        let rows = build()
            .order((audit_logs::created_at.desc(), audit_logs::id.desc()))
            .offset(offset)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    }
}

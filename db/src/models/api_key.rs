//! API keys: `ck_…` for staff integrations, `sk_…` for customers. Only the SHA-256 is stored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::api_keys;

/// A stored API key (never the key itself).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    pub key_hash: String,
    pub permissions: Vec<Option<String>>,
    pub active: bool,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    pub key_type: String,
    pub customer_id: Option<Uuid>,
}

/// Values for a new key.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub key_hash: &'a str,
    pub permissions: Vec<Option<String>>,
    pub created_by: Option<Uuid>,
    pub key_type: &'a str,
    pub customer_id: Option<Uuid>,
}

impl ApiKey {
    /// The key's permissions without SQL NULLs.
    pub fn permission_list(&self) -> Vec<String> {
        self.permissions.iter().flatten().cloned().collect()
    }

    /// Finds an active key by the SHA-256 hex of its secret.
    pub async fn active_by_hash(
        conn: &mut AsyncPgConnection,
        hash: &str,
    ) -> DbResult<Option<Self>> {
        Ok(api_keys::table
            .filter(api_keys::key_hash.eq(hash))
            .filter(api_keys::active.eq(true))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Records use, at most once a minute per key (not a write on every request).
    pub async fn touch_used(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<()> {
        diesel::update(api_keys::table.find(id))
            .filter(
                api_keys::last_used_at
                    .is_null()
                    .or(api_keys::last_used_at
                        .lt(chrono::Utc::now() - chrono::Duration::minutes(1))),
            )
            .set(api_keys::last_used_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Inserts a key, refusing when the owner already has `limit` active keys of that type.
    /// The owner's row is locked first so that concurrent creations cannot pass the limit.
    /// Returns `None` when the limit is reached.
    pub async fn create_within_limit(
        conn: &mut AsyncPgConnection,
        new: NewApiKey<'_>,
        limit: i64,
    ) -> DbResult<Option<Self>> {
        use diesel_async::AsyncConnection;
        conn.transaction::<_, crate::DbError, _>(async move |conn| {
            let owner = new.customer_id.or(new.created_by);
            if let Some(owner) = owner {
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1::text))")
                    .bind::<diesel::sql_types::Text, _>(format!("api_keys:{owner}"))
                    .execute(conn)
                    .await?;
            }
            let mut q = api_keys::table
                .filter(api_keys::active.eq(true))
                .filter(api_keys::key_type.eq(new.key_type))
                .into_boxed();
            q = match (new.customer_id, new.created_by) {
                (Some(c), _) => q.filter(api_keys::customer_id.eq(c)),
                (None, Some(a)) => q.filter(api_keys::created_by.eq(a)),
                (None, None) => q.filter(api_keys::created_by.is_null()),
            };
            let active: i64 = q.count().get_result(conn).await?;
            if active >= limit {
                return Ok(None);
            }
            let key = diesel::insert_into(api_keys::table)
                .values(new)
                .returning(Self::as_returning())
                .get_result(conn)
                .await?;
            Ok(Some(key))
        })
        .await
    }

    /// Keys created by a staff user (admin keys), newest first.
    pub async fn list_admin(
        conn: &mut AsyncPgConnection,
        created_by: Option<Uuid>,
    ) -> DbResult<Vec<Self>> {
        let mut q = api_keys::table
            .filter(api_keys::key_type.eq("admin"))
            .into_boxed();
        if let Some(by) = created_by {
            q = q.filter(api_keys::created_by.eq(by));
        }
        Ok(q.order(api_keys::created_at.desc())
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// A customer's keys, newest first.
    pub async fn list_for_customer(
        conn: &mut AsyncPgConnection,
        customer_id: Uuid,
    ) -> DbResult<Vec<Self>> {
        Ok(api_keys::table
            .filter(api_keys::customer_id.eq(customer_id))
            .order(api_keys::created_at.desc())
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// Looks a key up by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(api_keys::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Deactivates a key; returns false when it did not exist or was already revoked.
    pub async fn revoke(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        let n = diesel::update(api_keys::table.find(id).filter(api_keys::active.eq(true)))
            .set(api_keys::active.eq(false))
            .execute(conn)
            .await?;
        Ok(n == 1)
    }
}

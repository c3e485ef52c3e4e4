//! Media files: one row per stored object (the bytes live in the configured storage, the
//! row holds where).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::media;

/// A media row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = media, check_for_backend(diesel::pg::Pg))]
pub struct Media {
    pub id: Uuid,
    pub filename: String,
    pub mime_type: String,
    pub size: i64,
    /// Relative to the storage root (`2026/11/1a2b3c4d-shirt.jpg`).
    pub storage_path: String,
    pub alt_text: String,
    pub thumbnails: serde_json::Value,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Values of a new media row.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub id: Uuid,
    pub filename: String,
    pub mime_type: String,
    pub size: i64,
    pub storage_path: String,
    pub alt_text: String,
}

impl Media {
    /// Inserts a row.
    pub async fn create(conn: &mut AsyncPgConnection, m: NewMedia) -> DbResult<Self> {
        Ok(diesel::insert_into(media::table)
            .values((
                media::id.eq(m.id),
                media::filename.eq(m.filename),
                media::mime_type.eq(m.mime_type),
                media::size.eq(m.size),
                media::storage_path.eq(m.storage_path),
                media::alt_text.eq(m.alt_text),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// A row by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(media::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// A page of rows, newest first, optionally of one MIME type, with the total count.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        mime_type: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let mut q = media::table.into_boxed();
        let mut c = media::table.into_boxed();
        if let Some(t) = mime_type {
            q = q.filter(media::mime_type.eq(t.to_owned()));
            c = c.filter(media::mime_type.eq(t.to_owned()));
        }
        let total: i64 = c.count().get_result(conn).await?;
        let rows = q
            .order((media::created_at.desc(), media::id.desc()))
            .offset(offset)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// Deletes a row (product links go with it); false when there was none.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(media::table.find(id)).execute(conn).await? > 0)
    }
}

//! The store's settings: one row.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::store_settings;

/// The singleton settings row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = store_settings, check_for_backend(diesel::pg::Pg))]
pub struct StoreSettings {
    pub id: Uuid,
    pub singleton: bool,
    pub store_name: String,
    pub store_description: String,
    pub logo_url: String,
    pub favicon_url: String,
    pub contact_email: String,
    pub currency: String,
    pub country: String,
    pub timezone: String,
    pub copyright_text: String,
    pub maintenance_mode: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A partial update of the settings.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = store_settings)]
pub struct StoreSettingsChanges {
    pub store_name: Option<String>,
    pub store_description: Option<String>,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub contact_email: Option<String>,
    pub currency: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub copyright_text: Option<String>,
    pub maintenance_mode: Option<bool>,
}

impl StoreSettings {
    /// Reads the settings.
    pub async fn get(conn: &mut AsyncPgConnection) -> DbResult<Self> {
        Ok(store_settings::table
            .select(Self::as_select())
            .first(conn)
            .await?)
    }

    /// Applies a partial update and returns the new row.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        changes: &StoreSettingsChanges,
    ) -> DbResult<Self> {
        Ok(
            diesel::update(store_settings::table.filter(store_settings::singleton.eq(true)))
                .set((changes, store_settings::updated_at.eq(diesel::dsl::now)))
                .returning(Self::as_returning())
                .get_result(conn)
                .await?,
        )
    }
}

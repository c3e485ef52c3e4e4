//! Store settings (one row) and the locale configuration.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::{StoreSettings, StoreSettingsChanges};
use stoa_db::pool;

use crate::audit;
use crate::domain::auth::Permission;
use crate::error::ApiError;
use crate::guard::StaffGuard;
use crate::state::AppState;

/// The store's settings.
#[derive(SimpleObject)]
#[graphql(name = "StoreSettings")]
pub struct Settings {
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

impl From<StoreSettings> for Settings {
    fn from(s: StoreSettings) -> Self {
        Self {
            store_name: s.store_name,
            store_description: s.store_description,
            logo_url: s.logo_url,
            favicon_url: s.favicon_url,
            contact_email: s.contact_email,
            currency: s.currency,
            country: s.country,
            timezone: s.timezone,
            copyright_text: s.copyright_text,
            maintenance_mode: s.maintenance_mode,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// The locale configuration.
#[derive(SimpleObject)]
pub struct StoreConfig {
    pub default_locale: String,
    pub available_locales: Vec<String>,
}

/// Input of `updateSettings`; absent fields stay as they are.
#[derive(InputObject, Default)]
pub struct UpdateSettingsInput {
    pub store_name: Option<String>,
    pub store_description: Option<String>,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub contact_email: Option<String>,
    /// ISO 4217 code, three upper-case letters.
    pub currency: Option<String>,
    /// ISO 3166-1 alpha-2 code, or empty.
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub copyright_text: Option<String>,
    pub maintenance_mode: Option<bool>,
}

/// Settings queries.
#[derive(Default)]
pub struct SettingsQuery;

async fn load(ctx: &Context<'_>) -> Result<Settings> {
    let s = ctx.data_unchecked::<AppState>();
    let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
    Ok(StoreSettings::get(&mut c)
        .await
        .map_err(ApiError::from)?
        .into())
}

fn config(ctx: &Context<'_>) -> StoreConfig {
    let s = ctx.data_unchecked::<AppState>();
    StoreConfig {
        default_locale: s.i18n.default_locale.clone(),
        available_locales: s.i18n.available_locales.clone(),
    }
}

#[Object]
impl SettingsQuery {
    /// The public store settings (storefront).
    async fn store_settings(&self, ctx: &Context<'_>) -> Result<Settings> {
        load(ctx).await
    }

    /// The store settings for the admin (`settings.read`).
    #[graphql(guard = "StaffGuard(Permission::SettingsRead)")]
    async fn settings(&self, ctx: &Context<'_>) -> Result<Settings> {
        load(ctx).await
    }

    /// Locales for the storefront.
    async fn store_config(&self, ctx: &Context<'_>) -> StoreConfig {
        config(ctx)
    }

    /// Locales for the admin (`settings.read`).
    #[graphql(guard = "StaffGuard(Permission::SettingsRead)")]
    async fn admin_config(&self, ctx: &Context<'_>) -> StoreConfig {
        config(ctx)
    }
}

/// Settings mutations.
#[derive(Default)]
pub struct SettingsMutation;

fn validate(input: &UpdateSettingsInput) -> Result<(), ApiError> {
    let upper = |c: &str, n: usize| c.len() == n && c.chars().all(|ch| ch.is_ascii_uppercase());
    if input.currency.as_deref().is_some_and(|c| !upper(c, 3)) {
        return Err(ApiError::invalid(
            "currency",
            "must be a three-letter ISO 4217 code",
        ));
    }
    if input
        .country
        .as_deref()
        .is_some_and(|c| !(c.is_empty() || upper(c, 2)))
    {
        return Err(ApiError::invalid(
            "country",
            "must be a two-letter ISO 3166-1 code",
        ));
    }
    if input
        .store_name
        .as_ref()
        .is_some_and(|n| n.trim().is_empty())
    {
        return Err(ApiError::invalid("storeName", "must not be empty"));
    }
    Ok(())
}

#[Object]
impl SettingsMutation {
    /// Updates the store settings (`settings.update`).
    #[graphql(guard = "StaffGuard(Permission::SettingsUpdate)")]
    async fn update_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateSettingsInput,
    ) -> Result<Settings> {
        validate(&input)?;
        let s = ctx.data_unchecked::<AppState>();
        let changes = StoreSettingsChanges {
            store_name: input.store_name,
            store_description: input.store_description,
            logo_url: input.logo_url,
            favicon_url: input.favicon_url,
            contact_email: input.contact_email,
            currency: input.currency,
            country: input.country,
            timezone: input.timezone,
            copyright_text: input.copyright_text,
            maintenance_mode: input.maintenance_mode,
        };
        let diff = serde_json::json!({
            "store_name": changes.store_name, "store_description": changes.store_description,
            "logo_url": changes.logo_url, "favicon_url": changes.favicon_url,
            "contact_email": changes.contact_email, "currency": changes.currency,
            "country": changes.country, "timezone": changes.timezone,
            "copyright_text": changes.copyright_text, "maintenance_mode": changes.maintenance_mode,
        });
        let diff = serde_json::Value::Object(
            diff.as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let row = StoreSettings::update(&mut c, &changes)
            .await
            .map_err(ApiError::from)?;
        audit::record(ctx, &mut c, "update", "settings", Some(row.id), diff).await?;
        Ok(row.into())
    }
}

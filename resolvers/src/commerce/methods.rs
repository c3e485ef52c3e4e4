//! Shipping methods and payment methods: staff CRUD (guarded by `shipping.*` / `payment.*`,
//! audited) and the store's lists of active methods with names in the request's locale.
//!
//! A payment method's `config` (the provider's credentials, a JSON object) is sealed with
//! AES-256-GCM before it is stored and is never returned: the API only says whether one is
//! set (`hasConfig`, staff only). The audit log records that it changed, not its content.
//! A method without a provider is a manual method (invoice, bank transfer): `isManual`.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object, Result, SimpleObject};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use stoa_db::models::catalog_write::TaxRule;
use stoa_db::models::shipping_payment::{
    MethodText, PaymentMethod, PaymentMethodFull, PaymentMethodWrite, ShippingMethod,
    ShippingMethodFull, ShippingMethodWrite,
};
use stoa_db::pool;
use uuid::Uuid;

use crate::audit;
use crate::catalog::admin::derive_prices;
use crate::catalog::manage::paging;
use crate::catalog::query::resolve_locale;
use crate::catalog::types::Locale;
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::hooks;
use crate::state::AppState;
use stoa_plugin_sdk::hooks as hk;

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    Ok(pool::conn(&ctx.data_unchecked::<AppState>().pool).await?)
}

fn not_found(what: &str) -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, format!("{what} not found"))
}

fn in_use(what: &'static str) -> impl Fn(stoa_db::DbError) -> ApiError {
    move |e| match e {
        stoa_db::DbError::Conflict { .. } => ApiError::with_message(
            ErrorCode::Conflict,
            format!("this {what} is used by orders"),
        ),
        e => e.into(),
    }
}

// --- shared -----------------------------------------------------------------------------

/// One locale's name and description of a method (input).
#[derive(InputObject, Clone)]
pub struct MethodTranslationInput {
    /// BCP 47 tag such as `de-DE` (2 to 10 characters).
    pub locale: String,
    /// 1 to 255 characters.
    pub name: String,
    #[graphql(default)]
    pub description: String,
}

fn check_texts(
    ts: Option<Vec<MethodTranslationInput>>,
) -> Result<Option<Vec<MethodText>>, ApiError> {
    let Some(ts) = ts else {
        return Ok(None);
    };
    let mut out: Vec<MethodText> = Vec::with_capacity(ts.len());
    for t in ts {
        let locale = t.locale.trim().to_owned();
        if !(2..=10).contains(&locale.chars().count()) {
            return Err(ApiError::invalid(
                "translations",
                "locale must be 2 to 10 characters",
            ));
        }
        let name = t.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "name is required (at most 255 characters)",
            ));
        }
        if out.iter().any(|o| o.locale == locale) {
            return Err(ApiError::invalid(
                "translations",
                "one translation per locale",
            ));
        }
        out.push(MethodText {
            locale,
            name,
            description: t.description,
        });
    }
    Ok(Some(out))
}

fn check_custom_fields(v: Option<Json<Value>>) -> Result<Option<Value>, ApiError> {
    match v.map(|j| j.0) {
        None => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(ApiError::invalid("customFields", "must be a JSON object")),
    }
}

/// `null` for an empty object (the reference omits empty custom fields).
fn custom_fields_out(v: Value) -> Option<Json<Value>> {
    match &v {
        Value::Object(m) if m.is_empty() => None,
        _ => Some(Json(v)),
    }
}

/// A method's translations as hooks see them (`null` when the write keeps them).
fn texts_json(ts: Option<&Vec<MethodText>>) -> Value {
    json!(ts.map(|ts| {
        ts.iter()
            .map(|t| json!({ "locale": t.locale, "name": t.name, "description": t.description }))
            .collect::<Vec<_>>()
    }))
}

/// What a shipping method write is about to store, as hooks see it.
fn shipping_entity(w: &ShippingMethodWrite) -> Value {
    json!({
        "active": w.active, "priceNet": w.price_net, "priceGross": w.price_gross,
        "taxRuleId": w.tax_rule_id, "customFields": w.custom_fields,
        "translations": texts_json(w.translations.as_ref()),
    })
}

/// What a payment method write is about to store, as hooks see it (never the
/// configuration: only whether one is set).
fn payment_entity(w: &PaymentMethodWrite) -> Value {
    json!({
        "provider": w.provider, "active": w.active,
        "hasConfig": w.sealed_config.as_ref().map(Option::is_some),
        "customFields": w.custom_fields,
        "translations": texts_json(w.translations.as_ref()),
    })
}

fn pick_text<'a>(locale: &Locale, texts: &'a [MethodText]) -> Option<&'a MethodText> {
    locale.pick(texts, |t| t.locale.as_str())
}

// --- shipping ---------------------------------------------------------------------------

/// One locale's texts of a shipping method.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingMethodTranslationNode {
    pub shipping_method_id: Uuid,
    pub locale: String,
    pub name: String,
    pub description: String,
}

/// A shipping method: a flat price per order.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingMethodNode {
    pub id: Uuid,
    pub active: bool,
    /// Net price in minor units.
    pub price_net: i32,
    /// Gross price in minor units (what checkout charges).
    pub price_gross: i32,
    pub tax_rule_id: Option<Uuid>,
    /// Free-form JSON object; null when empty.
    pub custom_fields: Option<Json<Value>>,
    /// The name in the request's locale (requested → default → first).
    pub name: String,
    /// The description in the request's locale.
    pub description: String,
    /// Every translation, by locale.
    pub translations: Vec<ShippingMethodTranslationNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn shipping_node(f: ShippingMethodFull, locale: &Locale) -> ShippingMethodNode {
    let m = f.method;
    let picked = pick_text(locale, &f.translations).cloned();
    ShippingMethodNode {
        id: m.id,
        active: m.active,
        price_net: m.price_net,
        price_gross: m.price_gross,
        tax_rule_id: m.tax_rule_id,
        custom_fields: custom_fields_out(m.custom_fields),
        name: picked.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        description: picked.map(|t| t.description).unwrap_or_default(),
        translations: f
            .translations
            .into_iter()
            .map(|t| ShippingMethodTranslationNode {
                shipping_method_id: m.id,
                locale: t.locale,
                name: t.name,
                description: t.description,
            })
            .collect(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// A page of shipping methods.
#[derive(SimpleObject)]
pub struct ShippingMethodPage {
    pub items: Vec<ShippingMethodNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Input of `createShippingMethod` / `updateShippingMethod` (absent fields unchanged on
/// update).
#[derive(InputObject, Default)]
pub struct ShippingMethodInput {
    /// Default true.
    pub active: Option<bool>,
    /// Net price in minor units, ≥ 0; derived from the gross price and the tax rule when 0.
    pub price_net: Option<i32>,
    /// Gross price in minor units, ≥ 0; derived from the net price and the tax rule when 0.
    pub price_gross: Option<i32>,
    /// The tax rule for net/gross derivation; null removes it.
    pub tax_rule_id: MaybeUndefined<Uuid>,
    /// Free-form JSON object.
    pub custom_fields: Option<Json<Value>>,
    /// Replaces every translation when given.
    pub translations: Option<Vec<MethodTranslationInput>>,
}

async fn shipping_write(
    c: &mut stoa_db::Conn,
    input: ShippingMethodInput,
    current: Option<&ShippingMethod>,
) -> Result<ShippingMethodWrite, ApiError> {
    for (field, v) in [
        ("priceNet", input.price_net),
        ("priceGross", input.price_gross),
    ] {
        if v.is_some_and(|v| v < 0) {
            return Err(ApiError::invalid(field, "must not be negative"));
        }
    }
    let tax_rule_id = match input.tax_rule_id {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(id)),
    };
    let rule = tax_rule_id.unwrap_or(current.and_then(|m| m.tax_rule_id));
    let rate = match rule {
        Some(id) => Some(
            TaxRule::by_id(c, id)
                .await?
                .ok_or_else(|| ApiError::invalid("taxRuleId", "unknown tax rule"))?
                .rate,
        ),
        None => None,
    };
    let net = input
        .price_net
        .or(current.map(|m| m.price_net))
        .unwrap_or(0);
    let gross = input
        .price_gross
        .or(current.map(|m| m.price_gross))
        .unwrap_or(0);
    let (price_net, price_gross) = derive_prices(net, gross, rate);
    Ok(ShippingMethodWrite {
        active: input.active,
        price_net,
        price_gross,
        tax_rule_id,
        custom_fields: check_custom_fields(input.custom_fields)?,
        translations: check_texts(input.translations)?,
    })
}

// --- payment ----------------------------------------------------------------------------

/// One locale's texts of a payment method.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodTranslationNode {
    pub payment_method_id: Uuid,
    pub locale: String,
    pub name: String,
    pub description: String,
}

/// A payment method. Its configuration (provider credentials) is never returned.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodNode {
    pub id: Uuid,
    /// The payment provider plugin (`stripe`, …); empty for a manual method.
    pub provider: String,
    /// True without a provider: checkout needs no payment reference (invoice, bank transfer).
    pub is_manual: bool,
    pub active: bool,
    /// Whether a provider configuration is stored (`payment.read`; the content never leaves
    /// the server).
    #[graphql(guard = "StaffGuard(Permission::PaymentRead)")]
    pub has_config: bool,
    /// Free-form JSON object; null when empty.
    pub custom_fields: Option<Json<Value>>,
    /// The name in the request's locale (requested → default → first).
    pub name: String,
    /// The description in the request's locale.
    pub description: String,
    /// Every translation, by locale.
    pub translations: Vec<PaymentMethodTranslationNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn payment_node(f: PaymentMethodFull, locale: &Locale) -> PaymentMethodNode {
    let m = f.method;
    let picked = pick_text(locale, &f.translations).cloned();
    PaymentMethodNode {
        id: m.id,
        is_manual: m.provider.is_empty(),
        provider: m.provider,
        active: m.active,
        has_config: m.has_config,
        custom_fields: custom_fields_out(m.custom_fields),
        name: picked.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        description: picked.map(|t| t.description).unwrap_or_default(),
        translations: f
            .translations
            .into_iter()
            .map(|t| PaymentMethodTranslationNode {
                payment_method_id: m.id,
                locale: t.locale,
                name: t.name,
                description: t.description,
            })
            .collect(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// A page of payment methods.
#[derive(SimpleObject)]
pub struct PaymentMethodPage {
    pub items: Vec<PaymentMethodNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Input of `createPaymentMethod` / `updatePaymentMethod` (absent fields unchanged on
/// update).
#[derive(InputObject, Default)]
pub struct PaymentMethodInput {
    /// The provider plugin, at most 100 characters; empty or absent (on create) makes a
    /// manual method.
    pub provider: Option<String>,
    /// Default true.
    pub active: Option<bool>,
    /// The provider's configuration: a JSON object, or (the reference's REST form) a string
    /// holding the base64 of its JSON bytes. Stored encrypted, never returned; null removes it.
    pub config: MaybeUndefined<Json<Value>>,
    /// Free-form JSON object.
    pub custom_fields: Option<Json<Value>>,
    /// Replaces every translation when given.
    pub translations: Option<Vec<MethodTranslationInput>>,
}

/// The configuration object of an input value.
fn config_object(v: Value) -> Result<serde_json::Map<String, Value>, ApiError> {
    let refused = || ApiError::invalid("config", "must be a JSON object (or its base64)");
    match v {
        Value::Object(m) => Ok(m),
        Value::String(s) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .map_err(|_| refused())?;
            match serde_json::from_slice(&bytes) {
                Ok(Value::Object(m)) => Ok(m),
                _ => Err(refused()),
            }
        }
        _ => Err(refused()),
    }
}

/// What an input did to the configuration, for the audit log (never the content).
fn config_change(w: &PaymentMethodWrite) -> &'static str {
    match &w.sealed_config {
        None => "unchanged",
        Some(None) => "removed",
        Some(Some(_)) => "set",
    }
}

fn payment_write(
    ctx: &Context<'_>,
    input: PaymentMethodInput,
) -> Result<PaymentMethodWrite, ApiError> {
    let provider = input.provider.map(|p| p.trim().to_owned());
    if provider.as_ref().is_some_and(|p| p.chars().count() > 100) {
        return Err(ApiError::invalid("provider", "at most 100 characters"));
    }
    let cipher: &Arc<_> = &ctx.data_unchecked::<AppState>().payment_cipher;
    let sealed_config = match input.config {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(Json(v)) => {
            let obj = config_object(v)?;
            Some(Some(cipher.seal(&obj).map_err(ApiError::internal)?))
        }
    };
    Ok(PaymentMethodWrite {
        provider,
        active: input.active,
        sealed_config,
        custom_fields: check_custom_fields(input.custom_fields)?,
        translations: check_texts(input.translations)?,
    })
}

// --- queries ----------------------------------------------------------------------------

/// Shipping and payment method queries (staff and store).
#[derive(Default)]
pub struct MethodQuery;

#[Object]
impl MethodQuery {
    /// Shipping methods by gross price, paginated (`shipping.read`).
    #[graphql(guard = "StaffGuard(Permission::ShippingRead)")]
    async fn shipping_methods(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        #[graphql(desc = "Only active (true) or inactive (false) methods.")] active: Option<bool>,
    ) -> Result<ShippingMethodPage> {
        shipping_page(ctx, page, limit, active, None).await
    }

    /// One shipping method (`shipping.read`).
    #[graphql(guard = "StaffGuard(Permission::ShippingRead)")]
    async fn shipping_method(&self, ctx: &Context<'_>, id: Uuid) -> Result<ShippingMethodNode> {
        shipping_one(ctx, id, false, None).await
    }

    /// Payment methods by creation time, paginated (`payment.read`).
    #[graphql(guard = "StaffGuard(Permission::PaymentRead)")]
    async fn payment_methods(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        #[graphql(desc = "Only active (true) or inactive (false) methods.")] active: Option<bool>,
    ) -> Result<PaymentMethodPage> {
        payment_page(ctx, page, limit, active, None).await
    }

    /// One payment method (`payment.read`).
    #[graphql(guard = "StaffGuard(Permission::PaymentRead)")]
    async fn payment_method(&self, ctx: &Context<'_>, id: Uuid) -> Result<PaymentMethodNode> {
        payment_one(ctx, id, false, None).await
    }

    /// The store's active shipping methods by gross price, names in the request's locale
    /// (`locale` argument → `Accept-Language` → default locale).
    async fn store_shipping_methods(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        locale: Option<String>,
    ) -> Result<ShippingMethodPage> {
        shipping_page(ctx, page, limit, Some(true), locale).await
    }

    /// One active shipping method of the store.
    async fn store_shipping_method(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        locale: Option<String>,
    ) -> Result<ShippingMethodNode> {
        shipping_one(ctx, id, true, locale).await
    }

    /// The store's active payment methods by creation time, names in the request's locale.
    async fn store_payment_methods(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        locale: Option<String>,
    ) -> Result<PaymentMethodPage> {
        payment_page(ctx, page, limit, Some(true), locale).await
    }

    /// One active payment method of the store.
    async fn store_payment_method(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        locale: Option<String>,
    ) -> Result<PaymentMethodNode> {
        payment_one(ctx, id, true, locale).await
    }
}

async fn shipping_page(
    ctx: &Context<'_>,
    page: Option<i64>,
    limit: Option<i64>,
    active: Option<bool>,
    locale: Option<String>,
) -> Result<ShippingMethodPage> {
    let (page, limit) = paging(page, limit, 20, 200);
    let locale = resolve_locale(ctx, locale);
    let mut c = conn(ctx).await?;
    let (rows, total) = ShippingMethod::page(&mut c, active, (page - 1) * limit, limit)
        .await
        .map_err(ApiError::from)?;
    Ok(ShippingMethodPage {
        items: rows
            .into_iter()
            .map(|r| shipping_node(r, &locale))
            .collect(),
        total,
        page,
        limit,
        pages: (total + limit - 1) / limit,
    })
}

async fn shipping_one(
    ctx: &Context<'_>,
    id: Uuid,
    active_only: bool,
    locale: Option<String>,
) -> Result<ShippingMethodNode> {
    let locale = resolve_locale(ctx, locale);
    let mut c = conn(ctx).await?;
    let m = ShippingMethod::by_id(&mut c, id)
        .await
        .map_err(ApiError::from)?
        .filter(|m| !active_only || m.method.active)
        .ok_or_else(|| not_found("shipping method"))?;
    Ok(shipping_node(m, &locale))
}

async fn payment_page(
    ctx: &Context<'_>,
    page: Option<i64>,
    limit: Option<i64>,
    active: Option<bool>,
    locale: Option<String>,
) -> Result<PaymentMethodPage> {
    let (page, limit) = paging(page, limit, 20, 200);
    let locale = resolve_locale(ctx, locale);
    let mut c = conn(ctx).await?;
    let (rows, total) = PaymentMethod::page(&mut c, active, (page - 1) * limit, limit)
        .await
        .map_err(ApiError::from)?;
    Ok(PaymentMethodPage {
        items: rows.into_iter().map(|r| payment_node(r, &locale)).collect(),
        total,
        page,
        limit,
        pages: (total + limit - 1) / limit,
    })
}

async fn payment_one(
    ctx: &Context<'_>,
    id: Uuid,
    active_only: bool,
    locale: Option<String>,
) -> Result<PaymentMethodNode> {
    let locale = resolve_locale(ctx, locale);
    let mut c = conn(ctx).await?;
    let m = PaymentMethod::by_id(&mut c, id)
        .await
        .map_err(ApiError::from)?
        .filter(|m| !active_only || m.method.active)
        .ok_or_else(|| not_found("payment method"))?;
    Ok(payment_node(m, &locale))
}

// --- mutations --------------------------------------------------------------------------

/// Shipping and payment method maintenance.
#[derive(Default)]
pub struct MethodMutation;

#[Object]
impl MethodMutation {
    /// Creates a shipping method (`shipping.create`).
    #[graphql(guard = "StaffGuard(Permission::ShippingCreate)")]
    async fn create_shipping_method(
        &self,
        ctx: &Context<'_>,
        input: ShippingMethodInput,
    ) -> Result<ShippingMethodNode> {
        let mut c = conn(ctx).await?;
        let w = shipping_write(&mut c, input, None).await?;
        let hook = hooks::guard(
            ctx,
            (hk::SHIPPING_BEFORE_CREATE, hk::SHIPPING_AFTER_CREATE),
            || shipping_entity(&w),
        )
        .await?;
        let m = ShippingMethod::create(&mut c, w)
            .await
            .map_err(ApiError::from)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "shipping_method",
            Some(m.method.id),
            json!({ "price_net": m.method.price_net, "price_gross": m.method.price_gross, "active": m.method.active }),
        )
        .await?;
        let node = shipping_node(m, &resolve_locale(ctx, None));
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Updates a shipping method; absent fields stay (`shipping.update`).
    #[graphql(guard = "StaffGuard(Permission::ShippingUpdate)")]
    async fn update_shipping_method(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: ShippingMethodInput,
    ) -> Result<ShippingMethodNode> {
        let mut c = conn(ctx).await?;
        let before = ShippingMethod::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| not_found("shipping method"))?;
        let w = shipping_write(&mut c, input, Some(&before.method)).await?;
        let hook = hooks::guard(
            ctx,
            (hk::SHIPPING_BEFORE_UPDATE, hk::SHIPPING_AFTER_UPDATE),
            || hooks::with_id(shipping_entity(&w), id),
        )
        .await?;
        let m = ShippingMethod::update(&mut c, id, w)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| not_found("shipping method"))?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "shipping_method",
            Some(id),
            json!({
                "price_gross": { "from": before.method.price_gross, "to": m.method.price_gross },
                "active": { "from": before.method.active, "to": m.method.active },
            }),
        )
        .await?;
        let node = shipping_node(m, &resolve_locale(ctx, None));
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Deletes a shipping method; refused (`CONFLICT`) while orders use it
    /// (`shipping.delete`).
    #[graphql(guard = "StaffGuard(Permission::ShippingDelete)")]
    async fn delete_shipping_method(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(
            ctx,
            (hk::SHIPPING_BEFORE_DELETE, hk::SHIPPING_AFTER_DELETE),
            || hooks::id(id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        if !ShippingMethod::delete(&mut c, id)
            .await
            .map_err(in_use("shipping method"))?
        {
            return Err(not_found("shipping method").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "shipping_method",
            Some(id),
            json!({}),
        )
        .await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Creates a payment method; its `config` is stored encrypted (`payment.create`).
    #[graphql(guard = "StaffGuard(Permission::PaymentCreate)")]
    async fn create_payment_method(
        &self,
        ctx: &Context<'_>,
        input: PaymentMethodInput,
    ) -> Result<PaymentMethodNode> {
        let w = payment_write(ctx, input)?;
        let config = config_change(&w);
        let hook = hooks::guard(
            ctx,
            (
                hk::PAYMENT_METHOD_BEFORE_CREATE,
                hk::PAYMENT_METHOD_AFTER_CREATE,
            ),
            || payment_entity(&w),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let m = PaymentMethod::create(&mut c, w)
            .await
            .map_err(ApiError::from)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "payment_method",
            Some(m.method.id),
            json!({ "provider": m.method.provider, "active": m.method.active, "config": config }),
        )
        .await?;
        let node = payment_node(m, &resolve_locale(ctx, None));
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Updates a payment method; absent fields stay (`payment.update`).
    #[graphql(guard = "StaffGuard(Permission::PaymentUpdate)")]
    async fn update_payment_method(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: PaymentMethodInput,
    ) -> Result<PaymentMethodNode> {
        let w = payment_write(ctx, input)?;
        let config = config_change(&w);
        let mut c = conn(ctx).await?;
        let before = PaymentMethod::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| not_found("payment method"))?;
        let hook = hooks::guard(
            ctx,
            (
                hk::PAYMENT_METHOD_BEFORE_UPDATE,
                hk::PAYMENT_METHOD_AFTER_UPDATE,
            ),
            || hooks::with_id(payment_entity(&w), id),
        )
        .await?;
        let m = PaymentMethod::update(&mut c, id, w)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| not_found("payment method"))?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "payment_method",
            Some(id),
            json!({
                "provider": { "from": before.method.provider, "to": m.method.provider },
                "active": { "from": before.method.active, "to": m.method.active },
                "config": config,
            }),
        )
        .await?;
        let node = payment_node(m, &resolve_locale(ctx, None));
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Deletes a payment method; refused (`CONFLICT`) while orders use it
    /// (`payment.delete`).
    #[graphql(guard = "StaffGuard(Permission::PaymentDelete)")]
    async fn delete_payment_method(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(
            ctx,
            (
                hk::PAYMENT_METHOD_BEFORE_DELETE,
                hk::PAYMENT_METHOD_AFTER_DELETE,
            ),
            || hooks::id(id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        if !PaymentMethod::delete(&mut c, id)
            .await
            .map_err(in_use("payment method"))?
        {
            return Err(not_found("payment method").into());
        }
        audit::record(ctx, &mut c, "delete", "payment_method", Some(id), json!({})).await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_is_an_object_or_its_base64() {
        let m = config_object(json!({ "secret_key": "sk" })).expect("object");
        assert_eq!(m["secret_key"], "sk");
        let b64 = base64::engine::general_purpose::STANDARD.encode(br#"{"secret_key":"sk"}"#);
        assert_eq!(config_object(Value::String(b64)).expect("base64"), m);
        assert!(config_object(json!([1])).is_err());
        assert!(config_object(json!("not base64!")).is_err());
        let not_object = base64::engine::general_purpose::STANDARD.encode(b"[1]");
        assert!(config_object(Value::String(not_object)).is_err());
    }

    #[test]
    fn translations_are_checked() {
        let t = |locale: &str, name: &str| MethodTranslationInput {
            locale: locale.into(),
            name: name.into(),
            description: String::new(),
        };
        assert!(check_texts(Some(vec![t("de-DE", "Standard")])).is_ok());
        assert!(check_texts(Some(vec![t("d", "Standard")])).is_err());
        assert!(check_texts(Some(vec![t("de-DE", " ")])).is_err());
        assert!(check_texts(Some(vec![t("de-DE", "a"), t("de-DE", "b")])).is_err());
        assert_eq!(check_texts(None).ok(), Some(None));
    }
}

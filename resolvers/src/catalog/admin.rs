//! Admin catalog: products, variant generation, property groups, tax rules, warehouses and
//! stock, categories. Every field is guarded by its permission.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::catalog::Variant;
use stoa_db::models::catalog::{Product, ProductFilter, ProductSort, ProductTranslation};
use stoa_db::models::catalog_write::{
    Categories, GenerateError, NewOption, ProductWrite, PropertyGroupFull, PropertyGroups,
    StockLine, TaxRule, Warehouse,
};
use stoa_db::pool;
use uuid::Uuid;

use super::manage::{CategoryAdminNode, category_node, category_write};
use super::query::resolve_locale;
use super::types::{Locale, NameTranslationNode, ProductNode, ProductPage, VariantNode};
use crate::audit;
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::state::AppState;
use stoa_plugin_sdk::{HookEvent, hooks as hk};

/// A product as plugin hooks see it (GraphQL field names).
fn product_snapshot(p: &Product) -> serde_json::Value {
    serde_json::json!({
        "id": p.id, "sku": p.sku, "active": p.active, "priceNet": p.price_net,
        "priceGross": p.price_gross, "currency": p.currency, "taxRuleId": p.tax_rule_id,
        "stock": p.stock, "weight": p.weight,
    })
}

/// The values a create or update is about to write, as hooks see them (absent = unchanged).
fn write_snapshot(w: &ProductWrite) -> serde_json::Value {
    serde_json::json!({
        "sku": w.sku, "active": w.active, "priceNet": w.price_net, "priceGross": w.price_gross,
        "currency": w.currency, "taxRuleId": w.tax_rule_id, "weight": w.weight,
        "translations": w.translations.iter().map(|t| serde_json::json!({
            "locale": t.locale, "name": t.name, "slug": t.slug,
        })).collect::<Vec<_>>(),
        "categoryIds": w.category_ids, "tagIds": w.tag_ids,
    })
}

/// One locale's texts of a product (input).
#[derive(InputObject, Clone)]
pub struct ProductTranslationInput {
    /// BCP 47 tag such as `de-DE` (2 to 10 characters).
    pub locale: String,
    pub name: String,
    #[graphql(default)]
    pub description: String,
    pub slug: String,
    #[graphql(default)]
    pub meta_title: String,
    #[graphql(default)]
    pub meta_description: String,
}

/// Input of `createProduct` and `updateProduct` (absent fields unchanged on update).
#[derive(InputObject, Default)]
pub struct ProductInput {
    /// Empty or absent means no SKU.
    pub sku: Option<String>,
    pub active: Option<bool>,
    /// Net price in minor units; derived from the gross price and the tax rule when 0.
    pub price_net: Option<i32>,
    /// Gross price in minor units; derived from the net price and the tax rule when 0.
    pub price_gross: Option<i32>,
    /// ISO 4217 (default EUR).
    pub currency: Option<String>,
    pub tax_rule_id: Option<Uuid>,
    /// Grams.
    pub weight: Option<i32>,
    /// Replaces every translation when given (at least one on create).
    pub translations: Option<Vec<ProductTranslationInput>>,
    pub category_ids: Option<Vec<Uuid>>,
    pub tag_ids: Option<Vec<Uuid>>,
    /// Replaces the product's media (ids of uploaded media); the order sets the positions.
    pub media_ids: Option<Vec<Uuid>>,
}

/// A tax rule.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRuleNode {
    pub id: Uuid,
    pub name: String,
    /// Basis points (1900 = 19 %).
    pub rate: i32,
    pub country_code: String,
    /// standard, reduced, zero or custom.
    #[graphql(name = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TaxRule> for TaxRuleNode {
    fn from(t: TaxRule) -> Self {
        Self {
            id: t.id,
            name: t.name,
            rate: t.rate,
            country_code: t.country_code,
            kind: t.kind,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Input of `createTaxRule`.
#[derive(InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxRuleInput {
    pub name: String,
    /// Basis points, 0 to 100000 (0 is allowed, unlike the reference).
    pub rate: i32,
    pub country_code: String,
    #[graphql(name = "type", default_with = "\"standard\".to_string()")]
    #[serde(rename = "type")]
    pub kind: String,
}

/// A property group (a variant axis such as Size) with its options.
#[derive(SimpleObject)]
pub struct PropertyGroupNode {
    pub id: Uuid,
    pub identifier: String,
    pub position: i32,
    pub name: String,
    pub translations: Vec<NameTranslationNode>,
    pub options: Vec<PropertyGroupOptionNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An option of a property group.
#[derive(SimpleObject)]
pub struct PropertyGroupOptionNode {
    pub id: Uuid,
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    pub name: String,
    pub translations: Vec<NameTranslationNode>,
}

pub(super) fn names(v: &[(String, String)]) -> Vec<NameTranslationNode> {
    v.iter()
        .map(|(l, n)| NameTranslationNode {
            locale: l.clone(),
            name: n.clone(),
        })
        .collect()
}

pub(super) fn pick(locale: &Locale, v: &[(String, String)]) -> String {
    locale
        .pick(v, |x| &x.0)
        .map(|x| x.1.clone())
        .unwrap_or_default()
}

pub(super) fn group_node(g: PropertyGroupFull, locale: &Locale) -> PropertyGroupNode {
    PropertyGroupNode {
        id: g.id,
        identifier: g.identifier,
        position: g.position,
        name: pick(locale, &g.names),
        translations: names(&g.names),
        options: g
            .options
            .into_iter()
            .map(|(o, n)| PropertyGroupOptionNode {
                id: o.id,
                code: o.code,
                color_hex: o.color_hex,
                position: o.position,
                name: pick(locale, &n),
                translations: names(&n),
            })
            .collect(),
        created_at: g.created_at,
        updated_at: g.updated_at,
    }
}

/// A name in one locale (input).
#[derive(InputObject, Clone)]
pub struct NameInput {
    pub locale: String,
    pub name: String,
}

/// An option of a new property group.
#[derive(InputObject)]
pub struct PropertyOptionInput {
    /// Short code used in generated SKUs (`M`, `BL`).
    pub code: String,
    pub color_hex: Option<String>,
    #[graphql(default)]
    pub position: i32,
    pub translations: Vec<NameInput>,
}

/// Input of `createPropertyGroup`.
#[derive(InputObject)]
pub struct PropertyGroupInput {
    /// Lower case letters, digits, `-` and `_`.
    pub identifier: String,
    #[graphql(default)]
    pub position: i32,
    pub translations: Vec<NameInput>,
    #[graphql(default)]
    pub options: Vec<PropertyOptionInput>,
}

/// A warehouse.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseNode {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    pub active: bool,
    /// Lower is used first.
    pub priority: i32,
    pub allow_negative_stock: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Warehouse> for WarehouseNode {
    fn from(w: Warehouse) -> Self {
        Self {
            id: w.id,
            name: w.name,
            code: w.code,
            active: w.active,
            priority: w.priority,
            allow_negative_stock: w.allow_negative_stock,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// Input of `createWarehouse`.
#[derive(InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseInput {
    pub name: String,
    pub code: String,
    #[graphql(default)]
    pub priority: i32,
    #[graphql(default = true)]
    pub active: bool,
}

/// One line of `setWarehouseStock`: an absolute quantity.
#[derive(InputObject)]
pub struct StockLineInput {
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    #[graphql(default)]
    pub reference: String,
}

/// A warehouse stock row.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseStockNode {
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One locale's texts of a category (input).
#[derive(InputObject, Clone, serde::Serialize)]
pub struct CategoryTranslationInput {
    pub locale: String,
    pub name: String,
    #[graphql(default)]
    pub description: String,
    pub slug: String,
}

/// Input of `createCategory`.
#[derive(InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    pub parent_id: Option<Uuid>,
    #[graphql(default)]
    pub position: i32,
    #[graphql(default = true)]
    pub active: bool,
    /// Free-form JSON object.
    pub custom_fields: Option<Json<serde_json::Value>>,
    pub translations: Vec<CategoryTranslationInput>,
}

pub(super) fn db_err(e: stoa_db::DbError) -> ApiError {
    ApiError::from(e)
}

pub(super) async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    pool::conn(&ctx.data_unchecked::<AppState>().pool)
        .await
        .map_err(db_err)
}

fn check_translations(ts: &[ProductTranslationInput]) -> Result<(), ApiError> {
    for t in ts {
        let n = t.locale.chars().count();
        if !(2..=10).contains(&n) {
            return Err(ApiError::invalid(
                "translations",
                "locale must be 2 to 10 characters",
            ));
        }
        if t.name.trim().is_empty() || t.name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "name is required (at most 255 characters)",
            ));
        }
        if t.slug.trim().is_empty() || t.slug.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "slug is required (at most 255 characters)",
            ));
        }
    }
    Ok(())
}

/// Checks a category's translations.
pub(super) fn check_category(input: &CategoryInput) -> Result<(), ApiError> {
    if input.translations.is_empty() {
        return Err(ApiError::invalid(
            "translations",
            "at least one translation with name and slug is required",
        ));
    }
    for t in &input.translations {
        if !(2..=10).contains(&t.locale.chars().count()) {
            return Err(ApiError::invalid(
                "translations",
                "locale must be 2 to 10 characters",
            ));
        }
        if t.name.trim().is_empty() || t.name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "name is required (at most 255 characters)",
            ));
        }
        if t.slug.trim().is_empty() || t.slug.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "slug is required (at most 255 characters)",
            ));
        }
        if t.description.chars().count() > 5000 {
            return Err(ApiError::invalid(
                "translations",
                "description is at most 5000 characters",
            ));
        }
    }
    if input.position < 0 {
        return Err(ApiError::invalid("position", "must not be negative"));
    }
    if input
        .custom_fields
        .as_ref()
        .is_some_and(|j| !j.0.is_object())
    {
        return Err(ApiError::invalid("customFields", "must be a JSON object"));
    }
    Ok(())
}

/// Checks a property-group identifier: lower case letters, digits, `-` and `_`.
pub(super) fn check_identifier(identifier: &str) -> Result<(), ApiError> {
    let ok = identifier
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && identifier.chars().count() <= 255
        && identifier
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "identifier",
            "lower case letters, digits, - and _ only",
        ))
    }
}

/// Checks a swatch colour (`#1a2b3c`).
pub(super) fn check_color(hex: Option<&str>) -> Result<(), ApiError> {
    if hex.is_some_and(|h| {
        h.len() != 7 || !h.starts_with('#') || !h[1..].chars().all(|c| c.is_ascii_hexdigit())
    }) {
        return Err(ApiError::invalid("colorHex", "must look like #1a2b3c"));
    }
    Ok(())
}

/// Checks a tax rule's fields.
pub(super) fn check_tax_rule(input: &TaxRuleInput) -> Result<(), ApiError> {
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "1 to 100 characters"));
    }
    if !(0..=100_000).contains(&input.rate) {
        return Err(ApiError::invalid(
            "rate",
            "must be between 0 and 100000 basis points",
        ));
    }
    if input.country_code.len() != 2 {
        return Err(ApiError::invalid(
            "countryCode",
            "must be a two-letter code",
        ));
    }
    if !["standard", "reduced", "zero", "custom"].contains(&input.kind.as_str()) {
        return Err(ApiError::invalid(
            "type",
            "must be standard, reduced, zero or custom",
        ));
    }
    Ok(())
}

async fn category_by_id(
    ctx: &Context<'_>,
    c: &mut stoa_db::Conn,
    id: Uuid,
) -> Result<CategoryAdminNode> {
    let row = stoa_db::models::catalog_manage::CategoryAdmin::by_id(c, id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, "category not found"))?;
    Ok(category_node(row, &resolve_locale(ctx, None)))
}

/// Net from gross or gross from net, when a tax rule is set and exactly one of them is 0.
pub fn derive_prices(net: i32, gross: i32, rate: Option<i32>) -> (i32, i32) {
    let Some(rate) = rate else {
        return (net, gross);
    };
    let r = f64::from(rate);
    match (net, gross) {
        (0, g) if g > 0 => (((f64::from(g) * 10000.0) / (10000.0 + r)).round() as i32, g),
        (n, 0) if n > 0 => (n, ((f64::from(n) * (10000.0 + r)) / 10000.0).round() as i32),
        other => other,
    }
}

pub(super) async fn product_write(
    ctx: &Context<'_>,
    input: ProductInput,
    current: Option<&Product>,
) -> Result<ProductWrite, ApiError> {
    if let Some(ts) = &input.translations {
        check_translations(ts)?;
    }
    if current.is_none() && input.translations.as_ref().is_none_or(Vec::is_empty) {
        return Err(ApiError::invalid(
            "translations",
            "at least one translation is required",
        ));
    }
    if let Some(c) = &input.currency
        && (c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        return Err(ApiError::invalid(
            "currency",
            "must be a three-letter ISO 4217 code",
        ));
    }
    for (field, v) in [
        ("priceNet", input.price_net),
        ("priceGross", input.price_gross),
        ("weight", input.weight),
    ] {
        if v.is_some_and(|v| v < 0) {
            return Err(ApiError::invalid(field, "must not be negative"));
        }
    }
    let tax_rule_id = input.tax_rule_id.or(current.and_then(|p| p.tax_rule_id));
    let rate = match tax_rule_id {
        Some(id) => {
            let mut c = conn(ctx).await?;
            Some(
                TaxRule::by_id(&mut c, id)
                    .await
                    .map_err(db_err)?
                    .ok_or_else(|| ApiError::invalid("taxRuleId", "unknown tax rule"))?
                    .rate,
            )
        }
        None => None,
    };
    let net = input
        .price_net
        .or(current.map(|p| p.price_net))
        .unwrap_or(0);
    let gross = input
        .price_gross
        .or(current.map(|p| p.price_gross))
        .unwrap_or(0);
    let (net, gross) = derive_prices(net, gross, rate);
    Ok(ProductWrite {
        sku: input
            .sku
            .map(|s| Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
        active: input.active,
        price_net: Some(net),
        price_gross: Some(gross),
        currency: input.currency,
        tax_rule_id: input.tax_rule_id.map(Some),
        weight: input.weight.map(Some),
        translations: input
            .translations
            .unwrap_or_default()
            .into_iter()
            .map(|t| ProductTranslation {
                product_id: Uuid::nil(),
                locale: t.locale,
                name: t.name,
                description: t.description,
                slug: t.slug,
                meta_title: t.meta_title,
                meta_description: t.meta_description,
            })
            .collect(),
        category_ids: input.category_ids,
        tag_ids: input.tag_ids,
        media_ids: input.media_ids,
    })
}

pub(super) fn sku_conflict(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { constraint } if constraint.contains("sku") => ApiError {
            field: Some("sku".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "a product or variant with this SKU exists",
            )
        },
        stoa_db::DbError::Conflict { .. } => ApiError::with_message(
            ErrorCode::Conflict,
            "a referenced entity does not exist or is in use",
        ),
        e => db_err(e),
    }
}

/// Admin catalog queries.
#[derive(Default)]
pub struct CatalogAdminQuery;

#[Object]
impl CatalogAdminQuery {
    /// Every product, active or not (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn admin_products(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        search: Option<String>,
        active: Option<bool>,
    ) -> Result<ProductPage> {
        let page = page.unwrap_or(1).max(1);
        let limit = limit.filter(|l| (1..=100).contains(l)).unwrap_or(25);
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        let filter = ProductFilter {
            active,
            category_id: None,
            search,
        };
        let (rows, total) = Product::page(
            &mut c,
            &filter,
            ProductSort::CreatedAt,
            false,
            (page - 1) * limit,
            limit,
        )
        .await
        .map_err(db_err)?;
        drop(c);
        let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
        super::query::prefetch(ctx, ctx.look_ahead().field("items"), &ids).await?;
        let items = rows
            .into_iter()
            .map(|p| ProductNode::new(p, locale.clone(), false))
            .collect();
        Ok(ProductPage {
            items,
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One product, active or not (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn admin_product(&self, ctx: &Context<'_>, id: Uuid) -> Result<ProductNode> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        let p = Product::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, "product not found"))?;
        Ok(ProductNode::new(p, locale, false))
    }

    /// Tax rules by name (`tax.read`).
    #[graphql(guard = "StaffGuard(Permission::TaxRead)")]
    async fn tax_rules(&self, ctx: &Context<'_>) -> Result<Vec<TaxRuleNode>> {
        let mut c = conn(ctx).await?;
        Ok(TaxRule::all(&mut c)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Property groups with their options (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn property_groups(&self, ctx: &Context<'_>) -> Result<Vec<PropertyGroupNode>> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        Ok(PropertyGroups::load(&mut c, None)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|g| group_node(g, &locale))
            .collect())
    }

    /// Warehouses by priority (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn warehouses(&self, ctx: &Context<'_>) -> Result<Vec<WarehouseNode>> {
        let mut c = conn(ctx).await?;
        Ok(Warehouse::all(&mut c)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// Admin catalog mutations.
#[derive(Default)]
pub struct CatalogAdminMutation;

#[Object]
impl CatalogAdminMutation {
    /// Creates a product (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_product(&self, ctx: &Context<'_>, input: ProductInput) -> Result<ProductNode> {
        let w = product_write(ctx, input, None).await?;
        let hooks = crate::hooks::registry(ctx);
        crate::hooks::before(hooks, hk::PRODUCT_BEFORE_CREATE, || {
            HookEvent::new(hk::PRODUCT_BEFORE_CREATE, write_snapshot(&w))
        })
        .await?;
        let mut c = conn(ctx).await?;
        let p = Product::create(&mut c, w).await.map_err(sku_conflict)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "product",
            Some(p.id),
            serde_json::json!({ "sku": p.sku, "active": p.active }),
        )
        .await?;
        crate::hooks::after(hooks, hk::PRODUCT_AFTER_CREATE, || {
            HookEvent::new(hk::PRODUCT_AFTER_CREATE, product_snapshot(&p))
        })
        .await;
        Ok(ProductNode::new(p, resolve_locale(ctx, None), false))
    }

    /// Updates a product; absent fields stay (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: ProductInput,
    ) -> Result<ProductNode> {
        let mut c = conn(ctx).await?;
        let current = Product::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, "product not found"))?;
        drop(c);
        let w = product_write(ctx, input, Some(&current)).await?;
        let hooks = crate::hooks::registry(ctx);
        crate::hooks::before(hooks, hk::PRODUCT_BEFORE_UPDATE, || {
            HookEvent::new(hk::PRODUCT_BEFORE_UPDATE, product_snapshot(&current))
                .change("incoming", write_snapshot(&w))
        })
        .await?;
        let mut c = conn(ctx).await?;
        let p = Product::update(&mut c, id, w).await.map_err(sku_conflict)?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "product",
            Some(id),
            serde_json::json!({ "sku": p.sku, "active": p.active }),
        )
        .await?;
        crate::hooks::after(hooks, hk::PRODUCT_AFTER_UPDATE, || {
            HookEvent::new(hk::PRODUCT_AFTER_UPDATE, product_snapshot(&p))
        })
        .await;
        Ok(ProductNode::new(p, resolve_locale(ctx, None), false))
    }

    /// Deletes a product (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_product(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hooks = crate::hooks::registry(ctx);
        let event = || HookEvent::new(hk::PRODUCT_BEFORE_DELETE, serde_json::json!({ "id": id }));
        crate::hooks::before(hooks, hk::PRODUCT_BEFORE_DELETE, event).await?;
        let mut c = conn(ctx).await?;
        if !Product::delete(&mut c, id).await.map_err(sku_conflict)? {
            return Err(ApiError::with_message(ErrorCode::NotFound, "product not found").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "product",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        crate::hooks::after(hooks, hk::PRODUCT_AFTER_DELETE, || {
            HookEvent::new(hk::PRODUCT_AFTER_DELETE, serde_json::json!({ "id": id }))
        })
        .await;
        Ok(true)
    }

    /// Generates one variant per combination of the given option lists (one list per
    /// property group), skipping combinations that exist; SKUs are `<product sku>-<codes>`.
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn generate_variants(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        option_groups: Vec<Vec<Uuid>>,
    ) -> Result<Vec<VariantNode>> {
        if option_groups.is_empty() || option_groups.iter().any(Vec::is_empty) {
            return Err(ApiError::invalid(
                "optionGroups",
                "give at least one non-empty list of option ids",
            )
            .into());
        }
        let mut c = conn(ctx).await?;
        let p = Product::by_id(&mut c, product_id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, "product not found"))?;
        let made: Vec<Variant> = match Variant::generate(&mut c, &p, option_groups)
            .await
            .map_err(sku_conflict)?
        {
            Ok(v) => v,
            Err(GenerateError::UnknownOption(id)) => {
                return Err(
                    ApiError::invalid("optionGroups", format!("unknown option {id}")).into(),
                );
            }
            Err(GenerateError::MixedGroups) => {
                return Err(ApiError::invalid(
                    "optionGroups",
                    "each list must hold options of one property group, a different group per list",
                )
                .into());
            }
        };
        audit::record(
            ctx,
            &mut c,
            "variants",
            "product",
            Some(product_id),
            serde_json::json!({ "created": made.len() }),
        )
        .await?;
        let locale = resolve_locale(ctx, None);
        Ok(made
            .into_iter()
            .map(|v| VariantNode::new(v, p.price_net, p.price_gross, locale.clone()))
            .collect())
    }

    /// Creates a tax rule (`tax.create`).
    #[graphql(guard = "StaffGuard(Permission::TaxCreate)")]
    async fn create_tax_rule(&self, ctx: &Context<'_>, input: TaxRuleInput) -> Result<TaxRuleNode> {
        check_tax_rule(&input)?;
        let hook = crate::hooks::guard(ctx, (hk::TAX_BEFORE_CREATE, hk::TAX_AFTER_CREATE), || {
            crate::hooks::snapshot(&input)
        })
        .await?;
        let mut c = conn(ctx).await?;
        let t = TaxRule::create(
            &mut c,
            input.name.trim(),
            input.rate,
            &input.country_code,
            &input.kind,
        )
        .await
        .map_err(db_err)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "tax_rule",
            Some(t.id),
            serde_json::json!({ "rate": t.rate }),
        )
        .await?;
        let t = TaxRuleNode::from(t);
        hook.after(|| crate::hooks::snapshot(&t)).await;
        Ok(t)
    }

    /// Creates a property group with its options (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_property_group(
        &self,
        ctx: &Context<'_>,
        input: PropertyGroupInput,
    ) -> Result<PropertyGroupNode> {
        check_identifier(&input.identifier)?;
        if input.translations.is_empty() {
            return Err(
                ApiError::invalid("translations", "at least one translation is required").into(),
            );
        }
        for o in &input.options {
            check_color(o.color_hex.as_deref())?;
        }
        let names: Vec<(String, String)> = input
            .translations
            .iter()
            .map(|t| (t.locale.clone(), t.name.clone()))
            .collect();
        let options = input
            .options
            .into_iter()
            .map(|o| NewOption {
                code: o.code,
                color_hex: o.color_hex,
                position: o.position,
                names: o
                    .translations
                    .into_iter()
                    .map(|t| (t.locale, t.name))
                    .collect(),
            })
            .collect();
        let mut c = conn(ctx).await?;
        let id = PropertyGroups::create(&mut c, &input.identifier, input.position, names, options)
            .await
            .map_err(|e| match e {
                stoa_db::DbError::Conflict { .. } => ApiError {
                    field: Some("identifier".into()),
                    ..ApiError::with_message(
                        ErrorCode::Conflict,
                        "a property group with this identifier exists",
                    )
                },
                e => db_err(e),
            })?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "property_group",
            Some(id),
            serde_json::json!({ "identifier": input.identifier }),
        )
        .await?;
        let locale = resolve_locale(ctx, None);
        let g = PropertyGroups::load(&mut c, Some(id))
            .await
            .map_err(db_err)?
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
        Ok(group_node(g, &locale))
    }

    /// Creates a warehouse (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn create_warehouse(
        &self,
        ctx: &Context<'_>,
        input: WarehouseInput,
    ) -> Result<WarehouseNode> {
        if input.name.trim().is_empty() || input.code.trim().is_empty() || input.code.len() > 50 {
            return Err(ApiError::invalid(
                "code",
                "name and code (at most 50 characters) are required",
            )
            .into());
        }
        if input.priority < 0 {
            return Err(ApiError::invalid("priority", "must not be negative").into());
        }
        let hook = crate::hooks::guard(
            ctx,
            (hk::WAREHOUSE_BEFORE_CREATE, hk::WAREHOUSE_AFTER_CREATE),
            || crate::hooks::snapshot(&input),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let w = Warehouse::create(
            &mut c,
            input.name.trim(),
            input.code.trim(),
            input.priority,
            input.active,
        )
        .await
        .map_err(|e| match e {
            stoa_db::DbError::Conflict { .. } => ApiError {
                field: Some("code".into()),
                ..ApiError::with_message(
                    ErrorCode::Conflict,
                    "a warehouse with this code already exists",
                )
            },
            e => db_err(e),
        })?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "warehouse",
            Some(w.id),
            serde_json::json!({ "code": w.code }),
        )
        .await?;
        let w = WarehouseNode::from(w);
        hook.after(|| crate::hooks::snapshot(&w)).await;
        Ok(w)
    }

    /// Sets absolute stock quantities in a warehouse; writes a movement with each delta and
    /// keeps product and variant stock equal to the sum over active warehouses
    /// (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn set_warehouse_stock(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Uuid,
        items: Vec<StockLineInput>,
    ) -> Result<Vec<WarehouseStockNode>> {
        if items.is_empty() {
            return Err(ApiError::invalid("items", "at least one item is required").into());
        }
        if items.iter().any(|i| i.quantity < 0) {
            return Err(ApiError::invalid("items", "quantity must not be negative").into());
        }
        let hooks = crate::hooks::registry(ctx);
        for i in &items {
            crate::hooks::before(hooks, hk::WAREHOUSE_BEFORE_STOCK_UPDATE, || {
                HookEvent::new(
                    hk::WAREHOUSE_BEFORE_STOCK_UPDATE,
                    serde_json::json!({
                        "warehouseId": warehouse_id, "productId": i.product_id,
                        "variantId": i.variant_id, "quantity": i.quantity,
                    }),
                )
                .meta("warehouse_id", warehouse_id.to_string())
                .meta("product_id", i.product_id.to_string())
                .meta("variant_id", i.variant_id.map(|v| v.to_string()))
                .meta("quantity", i.quantity)
            })
            .await?;
        }
        let lines = items
            .into_iter()
            .map(|i| StockLine {
                product_id: i.product_id,
                variant_id: i.variant_id,
                quantity: i.quantity,
                reference: i.reference,
            })
            .collect();
        let mut c = conn(ctx).await?;
        let rows = Warehouse::set_stock(&mut c, warehouse_id, lines)
            .await
            .map_err(|e| match e {
                stoa_db::DbError::Conflict { .. } => ApiError::with_message(
                    ErrorCode::NotFound,
                    "warehouse, product or variant not found",
                ),
                e => db_err(e),
            })?;
        audit::record(
            ctx,
            &mut c,
            "set_stock",
            "warehouse",
            Some(warehouse_id),
            serde_json::json!({ "lines": rows.len() }),
        )
        .await?;
        let rows: Vec<WarehouseStockNode> = rows
            .into_iter()
            .map(|r| WarehouseStockNode {
                id: r.id,
                warehouse_id: r.warehouse_id,
                product_id: r.product_id,
                variant_id: r.variant_id,
                quantity: r.quantity,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect();
        for r in &rows {
            crate::hooks::after(hooks, hk::WAREHOUSE_AFTER_STOCK_UPDATE, || {
                HookEvent::new(hk::WAREHOUSE_AFTER_STOCK_UPDATE, crate::hooks::snapshot(r))
            })
            .await;
        }
        Ok(rows)
    }

    /// Creates a category (`categories.create`).
    #[graphql(guard = "StaffGuard(Permission::CategoriesCreate)")]
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CategoryInput,
    ) -> Result<CategoryAdminNode> {
        let w = category_write(&input)?;
        let hook = crate::hooks::guard(
            ctx,
            (hk::CATEGORY_BEFORE_CREATE, hk::CATEGORY_AFTER_CREATE),
            || crate::hooks::snapshot(&input),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let id = Categories::create(&mut c, w).await.map_err(|e| match e {
            stoa_db::DbError::Conflict { .. } => {
                ApiError::invalid("parentId", "unknown parent category")
            }
            e => db_err(e),
        })?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "category",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        let node = category_by_id(ctx, &mut c, id).await?;
        hook.after(|| crate::hooks::snapshot(&node)).await;
        Ok(node)
    }
}

#[cfg(test)]
mod tests {
    use super::derive_prices;

    #[test]
    fn prices_derive_from_the_tax_rate() {
        assert_eq!(derive_prices(0, 2999, Some(1900)), (2520, 2999));
        assert_eq!(derive_prices(2521, 0, Some(1900)), (2521, 3000));
        assert_eq!(derive_prices(0, 2999, None), (0, 2999));
        assert_eq!(derive_prices(100, 119, Some(1900)), (100, 119));
    }
}

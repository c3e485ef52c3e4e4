//! Catalog GraphQL types. Each carries the request's locale, so that `name`, `slug`, … resolve
//! for it (falling back requested → default → first available).

use std::sync::Arc;

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::catalog::{self as db, NameTranslation, ProductTranslation};
use uuid::Uuid;

use super::loaders::{
    CatalogDataLoader, CategoriesByProduct, MediaByProduct, NamesByOption, OptionsByVariant,
    TagsByProduct, TranslationsByProduct, VariantsByProduct,
};
use crate::error::ApiError;

/// The locale a request resolved to, with the store default for fallbacks.
#[derive(Debug, Clone)]
pub struct Locale {
    pub requested: String,
    pub default: String,
}

impl Locale {
    /// Picks the translation for the locale: requested → default → first.
    pub fn pick<'a, T>(&self, items: &'a [T], locale: impl Fn(&T) -> &str) -> Option<&'a T> {
        items
            .iter()
            .find(|t| locale(t) == self.requested)
            .or_else(|| items.iter().find(|t| locale(t) == self.default))
            .or_else(|| items.first())
    }
}

fn loader<'a>(ctx: &'a Context<'_>) -> Result<&'a CatalogDataLoader> {
    ctx.data::<CatalogDataLoader>()
        .map_err(|_| ApiError::internal("catalog loader missing").into())
}

fn load_err(e: Arc<String>) -> async_graphql::Error {
    ApiError::internal(e).into()
}

/// One locale's texts of a product.
#[derive(SimpleObject, Clone)]
pub struct ProductTranslationNode {
    pub locale: String,
    pub name: String,
    pub description: String,
    pub slug: String,
    pub meta_title: String,
    pub meta_description: String,
}

impl From<&ProductTranslation> for ProductTranslationNode {
    fn from(t: &ProductTranslation) -> Self {
        Self {
            locale: t.locale.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            slug: t.slug.clone(),
            meta_title: t.meta_title.clone(),
            meta_description: t.meta_description.clone(),
        }
    }
}

/// A translated name.
#[derive(SimpleObject, Clone)]
pub struct NameTranslationNode {
    pub locale: String,
    pub name: String,
}

impl From<&NameTranslation> for NameTranslationNode {
    fn from(t: &NameTranslation) -> Self {
        Self {
            locale: t.locale.clone(),
            name: t.name.clone(),
        }
    }
}

/// A product.
pub struct ProductNode {
    pub id: Uuid,
    pub sku: Option<String>,
    pub active: bool,
    /// Net price in minor units.
    pub price_net: i32,
    /// Gross price in minor units.
    pub price_gross: i32,
    pub currency: String,
    pub tax_rule_id: Option<Uuid>,
    /// Sum of the stock in active warehouses.
    pub stock: i32,
    /// Grams.
    pub weight: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub locale: Arc<Locale>,
    /// Only active variants are shown (the storefront).
    pub store: bool,
}

impl ProductNode {
    /// Wraps a row for a locale.
    pub fn new(p: db::Product, locale: Arc<Locale>, store: bool) -> Self {
        Self {
            id: p.id,
            sku: p.sku,
            active: p.active,
            price_net: p.price_net,
            price_gross: p.price_gross,
            currency: p.currency,
            tax_rule_id: p.tax_rule_id,
            stock: p.stock,
            weight: p.weight,
            created_at: p.created_at,
            updated_at: p.updated_at,
            locale,
            store,
        }
    }

    async fn texts(&self, ctx: &Context<'_>) -> Result<Vec<ProductTranslation>> {
        Ok(loader(ctx)?
            .load_one(TranslationsByProduct(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }

    async fn variant_rows(&self, ctx: &Context<'_>) -> Result<Vec<db::Variant>> {
        let all = loader(ctx)?
            .load_one(VariantsByProduct(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter(|v| !self.store || v.active)
            .collect())
    }
}

#[Object(name = "Product")]
impl ProductNode {
    /// The product id.
    async fn id(&self) -> Uuid {
        self.id
    }

    /// Stock keeping unit (null when none).
    async fn sku(&self) -> Option<String> {
        self.sku.clone()
    }

    /// Visible in the storefront.
    async fn active(&self) -> bool {
        self.active
    }

    /// Net price in minor units.
    async fn price_net(&self) -> i32 {
        self.price_net
    }

    /// Gross price in minor units.
    async fn price_gross(&self) -> i32 {
        self.price_gross
    }

    /// ISO 4217 code.
    async fn currency(&self) -> String {
        self.currency.clone()
    }

    /// The tax rule.
    async fn tax_rule_id(&self) -> Option<Uuid> {
        self.tax_rule_id
    }

    /// Sum of the stock in active warehouses.
    async fn stock(&self) -> i32 {
        self.stock
    }

    /// Grams.
    async fn weight(&self) -> Option<i32> {
        self.weight
    }

    /// Creation time.
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// Last change.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// The name in the request's locale.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        let t = self.texts(ctx).await?;
        Ok(self
            .locale
            .pick(&t, |x| &x.locale)
            .map(|x| x.name.clone())
            .unwrap_or_default())
    }

    /// The slug in the request's locale.
    async fn slug(&self, ctx: &Context<'_>) -> Result<String> {
        let t = self.texts(ctx).await?;
        Ok(self
            .locale
            .pick(&t, |x| &x.locale)
            .map(|x| x.slug.clone())
            .unwrap_or_default())
    }

    /// The description in the request's locale.
    async fn description(&self, ctx: &Context<'_>) -> Result<String> {
        let t = self.texts(ctx).await?;
        Ok(self
            .locale
            .pick(&t, |x| &x.locale)
            .map(|x| x.description.clone())
            .unwrap_or_default())
    }

    /// Every locale's texts.
    async fn translations(&self, ctx: &Context<'_>) -> Result<Vec<ProductTranslationNode>> {
        Ok(self.texts(ctx).await?.iter().map(Into::into).collect())
    }

    /// True when the product has variants.
    async fn has_variants(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(!self.variant_rows(ctx).await?.is_empty())
    }

    /// The variants (active ones only in the storefront).
    async fn variants(&self, ctx: &Context<'_>) -> Result<Vec<VariantNode>> {
        let locale = self.locale.clone();
        Ok(self
            .variant_rows(ctx)
            .await?
            .into_iter()
            .map(|v| VariantNode::new(v, self.price_net, self.price_gross, locale.clone()))
            .collect())
    }

    /// Media files, by position.
    async fn media(&self, ctx: &Context<'_>) -> Result<Vec<ProductMediaNode>> {
        let rows = loader(ctx)?
            .load_one(MediaByProduct(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        let storage = &ctx
            .data::<crate::state::AppState>()
            .map_err(|_| ApiError::internal("application state missing"))?
            .media;
        Ok(rows
            .into_iter()
            .map(|m| ProductMediaNode {
                media_id: m.media_id,
                position: m.position,
                url: storage.url(&m.storage_path),
                alt_text: m.alt_text,
                mime_type: m.mime_type,
            })
            .collect())
    }

    /// Ids of the categories the product is in.
    async fn category_ids(&self, ctx: &Context<'_>) -> Result<Vec<Uuid>> {
        Ok(loader(ctx)?
            .load_one(CategoriesByProduct(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }

    /// Ids of the product's tags.
    async fn tag_ids(&self, ctx: &Context<'_>) -> Result<Vec<Uuid>> {
        Ok(loader(ctx)?
            .load_one(TagsByProduct(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default())
    }

    /// Attribute values (brand, material, weight, …), by attribute position.
    async fn attributes(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::attributes::AttributeValueNode>> {
        super::attributes::values_for(
            ctx,
            stoa_db::models::attributes::Owner::Product,
            self.id,
            &self.locale,
        )
        .await
    }
}

/// A product's media file.
#[derive(SimpleObject)]
pub struct ProductMediaNode {
    pub media_id: Uuid,
    pub position: i32,
    pub url: String,
    pub alt_text: String,
    pub mime_type: String,
}

/// A variant; prices inherit the product's when not set.
pub struct VariantNode {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: Option<String>,
    /// Net price (the product's when the variant has none).
    pub price_net: i32,
    /// Gross price (the product's when the variant has none).
    pub price_gross: i32,
    pub stock: i32,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub locale: Arc<Locale>,
}

impl VariantNode {
    pub(crate) fn new(
        v: db::Variant,
        parent_net: i32,
        parent_gross: i32,
        locale: Arc<Locale>,
    ) -> Self {
        Self {
            id: v.id,
            product_id: v.product_id,
            sku: v.sku,
            price_net: v.price_net.unwrap_or(parent_net),
            price_gross: v.price_gross.unwrap_or(parent_gross),
            stock: v.stock,
            active: v.active,
            created_at: v.created_at,
            updated_at: v.updated_at,
            locale,
        }
    }
}

#[Object(name = "Variant")]
impl VariantNode {
    /// The variant id.
    async fn id(&self) -> Uuid {
        self.id
    }

    /// The product.
    async fn product_id(&self) -> Uuid {
        self.product_id
    }

    /// Stock keeping unit (null when none).
    async fn sku(&self) -> Option<String> {
        self.sku.clone()
    }

    /// Net price (the product's when the variant has none).
    async fn price_net(&self) -> i32 {
        self.price_net
    }

    /// Gross price (the product's when the variant has none).
    async fn price_gross(&self) -> i32 {
        self.price_gross
    }

    /// Sum of the stock in active warehouses.
    async fn stock(&self) -> i32 {
        self.stock
    }

    /// Sellable.
    async fn active(&self) -> bool {
        self.active
    }

    /// Creation time.
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// Last change.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// Attribute values of this variant, by attribute position.
    async fn attributes(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::attributes::AttributeValueNode>> {
        super::attributes::values_for(
            ctx,
            stoa_db::models::attributes::Owner::Variant,
            self.id,
            &self.locale,
        )
        .await
    }

    /// The property options that make this variant (Size M, Color Blue, …).
    async fn options(&self, ctx: &Context<'_>) -> Result<Vec<PropertyOptionNode>> {
        let rows = loader(ctx)?
            .load_one(OptionsByVariant(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|o| PropertyOptionNode {
                id: o.id,
                group_id: o.group_id,
                code: o.code,
                color_hex: o.color_hex,
                position: o.position,
                locale: self.locale.clone(),
            })
            .collect())
    }
}

/// A value of a variant axis.
pub struct PropertyOptionNode {
    pub id: Uuid,
    pub group_id: Uuid,
    /// Short code used in generated SKUs.
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    pub locale: Arc<Locale>,
}

#[Object(name = "PropertyOption")]
impl PropertyOptionNode {
    /// The option id.
    async fn id(&self) -> Uuid {
        self.id
    }

    /// The property group (axis).
    async fn group_id(&self) -> Uuid {
        self.group_id
    }

    /// Short code used in generated SKUs.
    async fn code(&self) -> String {
        self.code.clone()
    }

    /// Swatch colour (`#rrggbb`).
    async fn color_hex(&self) -> Option<String> {
        self.color_hex.clone()
    }

    /// Order within the group.
    async fn position(&self) -> i32 {
        self.position
    }

    /// The name in the request's locale.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        let t = loader(ctx)?
            .load_one(NamesByOption(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok(self
            .locale
            .pick(&t, |x| &x.locale)
            .map(|x| x.name.clone())
            .unwrap_or_default())
    }

    /// Every locale's name.
    async fn translations(&self, ctx: &Context<'_>) -> Result<Vec<NameTranslationNode>> {
        let t = loader(ctx)?
            .load_one(NamesByOption(self.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok(t.iter().map(Into::into).collect())
    }
}

/// A page of products.
#[derive(SimpleObject)]
pub struct ProductPage {
    pub items: Vec<ProductNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

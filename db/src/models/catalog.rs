//! Catalog rows and the batched queries the storefront reads with (one statement per relation
//! for a whole page: `eq_any`, early return on no keys).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::{
    categories, category_translations, media, product_categories, product_media, product_tags,
    product_translations, product_variant_options, product_variants, products,
    property_option_translations, property_options, tags,
};

/// A product row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = products, check_for_backend(diesel::pg::Pg))]
pub struct Product {
    pub id: Uuid,
    pub sku: Option<String>,
    pub active: bool,
    pub price_net: i32,
    pub price_gross: i32,
    pub currency: String,
    pub tax_rule_id: Option<Uuid>,
    pub stock: i32,
    pub weight: Option<i32>,
    pub custom_fields: serde_json::Value,
    pub metadata: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One locale's texts of a product.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = product_translations, check_for_backend(diesel::pg::Pg))]
pub struct ProductTranslation {
    pub product_id: Uuid,
    pub locale: String,
    pub name: String,
    pub description: String,
    pub slug: String,
    pub meta_title: String,
    pub meta_description: String,
}

/// A variant row (NULL prices inherit the product's).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = product_variants, check_for_backend(diesel::pg::Pg))]
pub struct Variant {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: Option<String>,
    pub price_net: Option<i32>,
    pub price_gross: Option<i32>,
    pub stock: i32,
    pub active: bool,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A property option (a value of a variant axis such as Size or Color).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = property_options, check_for_backend(diesel::pg::Pg))]
pub struct PropertyOption {
    pub id: Uuid,
    pub group_id: Uuid,
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A translated name (options, groups).
#[derive(Debug, Clone, Queryable)]
pub struct NameTranslation {
    pub owner_id: Uuid,
    pub locale: String,
    pub name: String,
}

/// A media file attached to a product.
#[derive(Debug, Clone, Queryable)]
pub struct ProductMedia {
    pub product_id: Uuid,
    pub media_id: Uuid,
    pub position: i32,
    pub storage_path: String,
    pub alt_text: String,
    pub mime_type: String,
}

/// A category row.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub position: i32,
    pub active: bool,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One locale's texts of a category.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = category_translations, check_for_backend(diesel::pg::Pg))]
pub struct CategoryTranslation {
    pub category_id: Uuid,
    pub locale: String,
    pub name: String,
    pub description: String,
    pub slug: String,
}

/// How a product list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductSort {
    CreatedAt,
    UpdatedAt,
    PriceNet,
    PriceGross,
    Stock,
    Sku,
}

/// Filters of a product list.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// `Some(true)` for the storefront (active only).
    pub active: Option<bool>,
    /// Products in this category or any of its descendants.
    pub category_id: Option<Uuid>,
    /// Full-text search in every locale.
    pub search: Option<String>,
}

fn group<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = HashMap::new();
    for r in rows {
        out.entry(key(&r)).or_default().push(r);
    }
    out
}

impl Product {
    /// A page of products with the total count (two statements).
    pub async fn page(
        conn: &mut AsyncPgConnection,
        filter: &ProductFilter,
        sort: ProductSort,
        ascending: bool,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        let build = |filter: &ProductFilter| {
            let mut q = products::table.into_boxed();
            if let Some(a) = filter.active {
                q = q.filter(products::active.eq(a));
            }
            if let Some(c) = filter.category_id {
                q = q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(
                        "products.id IN (SELECT pc.product_id FROM product_categories pc WHERE pc.category_id IN (
                           WITH RECURSIVE tree(id) AS (SELECT ",
                    )
                    .bind::<diesel::sql_types::Uuid, _>(c)
                    .sql(
                        "::uuid UNION SELECT c.id FROM categories c JOIN tree t ON c.parent_id = t.id WHERE c.active)
                           SELECT id FROM tree))",
                    ),
                );
            }
            if let Some(s) = filter
                .search
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                q = q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(
                        "products.id IN (SELECT pt.product_id FROM product_translations pt
                         WHERE pt.search_vector @@ plainto_tsquery(stoa_ts_config(pt.locale), ",
                    )
                    .bind::<diesel::sql_types::Text, _>(s.to_owned())
                    .sql("))"),
                );
            }
            q
        };
        let total: i64 = build(filter).count().get_result(conn).await?;
        let mut q = build(filter);
        q = match (sort, ascending) {
            (ProductSort::CreatedAt, true) => {
                q.order((products::created_at.asc(), products::id.asc()))
            }
            (ProductSort::CreatedAt, false) => {
                q.order((products::created_at.desc(), products::id.desc()))
            }
            (ProductSort::UpdatedAt, true) => {
                q.order((products::updated_at.asc(), products::id.asc()))
            }
            (ProductSort::UpdatedAt, false) => {
                q.order((products::updated_at.desc(), products::id.desc()))
            }
            (ProductSort::PriceNet, true) => {
                q.order((products::price_net.asc(), products::id.asc()))
            }
            (ProductSort::PriceNet, false) => {
                q.order((products::price_net.desc(), products::id.desc()))
            }
            (ProductSort::PriceGross, true) => {
                q.order((products::price_gross.asc(), products::id.asc()))
            }
            (ProductSort::PriceGross, false) => {
                q.order((products::price_gross.desc(), products::id.desc()))
            }
            (ProductSort::Stock, true) => q.order((products::stock.asc(), products::id.asc())),
            (ProductSort::Stock, false) => q.order((products::stock.desc(), products::id.desc())),
            (ProductSort::Sku, true) => q.order((products::sku.asc(), products::id.asc())),
            (ProductSort::Sku, false) => q.order((products::sku.desc(), products::id.desc())),
        };
        let rows = q
            .offset(offset)
            .limit(limit)
            .select(Self::as_select())
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// Looks a product up by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(products::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks a product up by a slug in any locale (the requested locale first).
    pub async fn by_slug(
        conn: &mut AsyncPgConnection,
        slug: &str,
        locale: &str,
    ) -> DbResult<Option<Self>> {
        Ok(products::table
            .inner_join(product_translations::table)
            .filter(product_translations::slug.eq(slug))
            .order((
                product_translations::locale.ne(locale),
                product_translations::locale.asc(),
            ))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }
}

/// Batched relation loads, keyed by owner id.
pub mod batch {
    use super::*;

    /// Translations of products.
    pub async fn product_translations(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<ProductTranslation>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = product_translations::table
            .filter(product_translations::product_id.eq_any(ids))
            .order((
                product_translations::product_id,
                product_translations::locale,
            ))
            .select(ProductTranslation::as_select())
            .load(conn)
            .await?;
        Ok(group(rows, |r| r.product_id))
    }

    /// Variants of products (all of them; callers filter inactive ones for the store).
    pub async fn variants(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Variant>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = product_variants::table
            .filter(product_variants::product_id.eq_any(ids))
            .order((
                product_variants::product_id,
                product_variants::created_at,
                product_variants::id,
            ))
            .select(Variant::as_select())
            .load(conn)
            .await?;
        Ok(group(rows, |r| r.product_id))
    }

    /// Options of variants, by variant id.
    pub async fn variant_options(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<PropertyOption>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, PropertyOption)> = product_variant_options::table
            .inner_join(property_options::table)
            .filter(product_variant_options::variant_id.eq_any(ids))
            .order((
                product_variant_options::variant_id,
                property_options::position,
                property_options::id,
            ))
            .select((
                product_variant_options::variant_id,
                PropertyOption::as_select(),
            ))
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, Vec<PropertyOption>> = HashMap::new();
        for (v, o) in rows {
            out.entry(v).or_default().push(o);
        }
        Ok(out)
    }

    /// Names of property options.
    pub async fn option_translations(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<NameTranslation>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<NameTranslation> = property_option_translations::table
            .filter(property_option_translations::option_id.eq_any(ids))
            .order((
                property_option_translations::option_id,
                property_option_translations::locale,
            ))
            .select((
                property_option_translations::option_id,
                property_option_translations::locale,
                property_option_translations::name,
            ))
            .load(conn)
            .await?;
        Ok(group(rows, |r| r.owner_id))
    }

    /// Media of products, by position.
    pub async fn product_media(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<ProductMedia>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<ProductMedia> = product_media::table
            .inner_join(media::table)
            .filter(product_media::product_id.eq_any(ids))
            .order((product_media::product_id, product_media::position))
            .select((
                product_media::product_id,
                product_media::media_id,
                product_media::position,
                media::storage_path,
                media::alt_text,
                media::mime_type,
            ))
            .load(conn)
            .await?;
        Ok(group(rows, |r| r.product_id))
    }

    /// Tag ids of products (by tag name).
    pub async fn product_tags(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Uuid>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, Uuid)> = product_tags::table
            .inner_join(tags::table)
            .filter(product_tags::product_id.eq_any(ids))
            .order((product_tags::product_id, tags::name, tags::id))
            .select((product_tags::product_id, product_tags::tag_id))
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (p, t) in rows {
            out.entry(p).or_default().push(t);
        }
        Ok(out)
    }

    /// Category ids of products.
    pub async fn product_categories(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<Uuid>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, Uuid)> = product_categories::table
            .filter(product_categories::product_id.eq_any(ids))
            .order((
                product_categories::product_id,
                product_categories::position,
                product_categories::category_id,
            ))
            .select((
                product_categories::product_id,
                product_categories::category_id,
            ))
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (p, c) in rows {
            out.entry(p).or_default().push(c);
        }
        Ok(out)
    }

    /// Translations of categories.
    pub async fn category_translations(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<CategoryTranslation>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = category_translations::table
            .filter(category_translations::category_id.eq_any(ids))
            .order((
                category_translations::category_id,
                category_translations::locale,
            ))
            .select(CategoryTranslation::as_select())
            .load(conn)
            .await?;
        Ok(group(rows, |r| r.category_id))
    }
}

impl Category {
    /// Every active category, ordered by position then id (the tree is built by the caller).
    pub async fn all_active(conn: &mut AsyncPgConnection) -> DbResult<Vec<Self>> {
        Ok(categories::table
            .filter(categories::active.eq(true))
            .order((categories::position, categories::id))
            .select(Self::as_select())
            .load(conn)
            .await?)
    }
}

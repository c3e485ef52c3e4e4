//! Storefront catalog queries: product list, product by id or slug, category tree.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use stoa_db::models::catalog::{Category, Product, ProductFilter, ProductSort, batch};
use stoa_db::pool;
use uuid::Uuid;

use super::types::{Locale, ProductNode, ProductPage};
use crate::error::{ApiError, ErrorCode};
use crate::state::{AcceptLanguage, AppState};

/// How product lists sort.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSortField {
    #[default]
    CreatedAt,
    UpdatedAt,
    PriceNet,
    PriceGross,
    Stock,
    Sku,
}

/// Sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    Asc,
    #[default]
    Desc,
}

/// Resolves the request's locale: the argument, else `Accept-Language`, else the default.
pub fn resolve_locale(ctx: &Context<'_>, arg: Option<String>) -> Arc<Locale> {
    let s = ctx.data_unchecked::<AppState>();
    let default = s.i18n.default_locale.clone();
    let from_header = ctx.data_opt::<AcceptLanguage>().and_then(|h| {
        h.0.split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .filter(|tag| !tag.is_empty() && *tag != "*")
            .find_map(|tag| {
                s.i18n
                    .available_locales
                    .iter()
                    .find(|l| {
                        l.eq_ignore_ascii_case(tag)
                            || l.split('-')
                                .next()
                                .is_some_and(|p| p.eq_ignore_ascii_case(tag))
                    })
                    .cloned()
            })
    });
    let requested = arg
        .filter(|l| !l.trim().is_empty())
        .or(from_header)
        .unwrap_or_else(|| default.clone());
    Arc::new(Locale { requested, default })
}

/// Loads every relation the query asks for, for all products at once (one statement per
/// relation), so that the nested fields read from the request's loader cache and a page costs
/// the same number of statements whatever its size or timing.
pub(crate) async fn prefetch(
    ctx: &Context<'_>,
    products: async_graphql::Lookahead<'_>,
    ids: &[Uuid],
) -> Result<()> {
    use super::loaders::{
        AttributesByProduct, AttributesByVariant, CatalogDataLoader, CategoriesByProduct,
        MediaByProduct, NamesByOption, OptionsByVariant, TranslationsByProduct, VariantsByProduct,
    };
    if ids.is_empty() {
        return Ok(());
    }
    let Ok(loader) = ctx.data::<CatalogDataLoader>() else {
        return Ok(());
    };
    let err = |e: std::sync::Arc<String>| -> async_graphql::Error { ApiError::internal(e).into() };
    let wants = |f: &str| products.field(f).exists();
    // The independent relations load concurrently (each its own statement on its own
    // connection); the variant chain (variants → options → option names) in order.
    let translations = async {
        if ["name", "slug", "description", "translations"]
            .iter()
            .any(|f| wants(f))
        {
            loader
                .load_many(ids.iter().map(|i| TranslationsByProduct(*i)))
                .await
                .map_err(err)?;
        }
        Ok::<(), async_graphql::Error>(())
    };
    let media = async {
        if wants("media") {
            loader
                .load_many(ids.iter().map(|i| MediaByProduct(*i)))
                .await
                .map_err(err)?;
        }
        Ok(())
    };
    let categories = async {
        if wants("categoryIds") {
            loader
                .load_many(ids.iter().map(|i| CategoriesByProduct(*i)))
                .await
                .map_err(err)?;
        }
        Ok(())
    };
    let attributes = async {
        if wants("attributes") {
            loader
                .load_many(ids.iter().map(|i| AttributesByProduct(*i)))
                .await
                .map_err(err)?;
        }
        Ok(())
    };
    let variants = async {
        if !(wants("variants") || wants("hasVariants")) {
            return Ok(());
        }
        let variants = loader
            .load_many(ids.iter().map(|i| VariantsByProduct(*i)))
            .await
            .map_err(err)?;
        if products.field("variants").field("attributes").exists() {
            loader
                .load_many(
                    variants
                        .values()
                        .flatten()
                        .map(|v| AttributesByVariant(v.id)),
                )
                .await
                .map_err(err)?;
        }
        let options = products.field("variants").field("options");
        if options.exists() {
            let vids: Vec<OptionsByVariant> = variants
                .values()
                .flatten()
                .map(|v| OptionsByVariant(v.id))
                .collect();
            let opts = loader.load_many(vids).await.map_err(err)?;
            if options.field("name").exists() || options.field("translations").exists() {
                let mut oids: Vec<Uuid> = opts.values().flatten().map(|o| o.id).collect();
                oids.sort_unstable();
                oids.dedup();
                loader
                    .load_many(oids.into_iter().map(NamesByOption))
                    .await
                    .map_err(err)?;
            }
        }
        Ok(())
    };
    futures_util::try_join!(translations, media, categories, attributes, variants)?;
    Ok(())
}

fn page_args(page: i64, limit: i64) -> (i64, i64) {
    let page = page.max(1);
    let limit = if (1..=100).contains(&limit) {
        limit
    } else {
        25
    };
    (page, limit)
}

/// A category in the tree.
#[derive(SimpleObject, Clone)]
pub struct CategoryNode {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub position: i32,
    pub active: bool,
    /// The name in the request's locale (falling back to the default, then the first).
    pub name: String,
    pub slug: String,
    pub description: String,
    /// The translation in exactly the requested locale, if there is one.
    pub translation: Option<CategoryTranslationNode>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub children: Vec<CategoryNode>,
}

/// One locale's texts of a category.
#[derive(SimpleObject, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryTranslationNode {
    pub locale: String,
    pub name: String,
    pub description: String,
    pub slug: String,
}

/// Storefront catalog queries.
#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// Active products, paginated (limit 1–100, default 25), optionally in a category (and its
    /// descendants) or matching a full-text search in any locale.
    #[expect(clippy::too_many_arguments, reason = "one argument per list option")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "1-based page (default 1)")] page: Option<i64>,
        #[graphql(desc = "1 to 100 (default 25; other values give 25)")] limit: Option<i64>,
        #[graphql(desc = "default CREATED_AT")] sort: Option<ProductSortField>,
        #[graphql(desc = "default DESC")] order: Option<SortOrder>,
        category_id: Option<Uuid>,
        search: Option<String>,
        locale: Option<String>,
    ) -> Result<ProductPage> {
        let s = ctx.data_unchecked::<AppState>();
        let (page, limit) = page_args(page.unwrap_or(1), limit.unwrap_or(25));
        let locale = resolve_locale(ctx, locale);
        let order = order.unwrap_or_default();
        let sort = match sort.unwrap_or_default() {
            ProductSortField::CreatedAt => ProductSort::CreatedAt,
            ProductSortField::UpdatedAt => ProductSort::UpdatedAt,
            ProductSortField::PriceNet => ProductSort::PriceNet,
            ProductSortField::PriceGross => ProductSort::PriceGross,
            ProductSortField::Stock => ProductSort::Stock,
            ProductSortField::Sku => ProductSort::Sku,
        };
        let filter = ProductFilter {
            active: Some(true),
            category_id,
            search,
        };
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let (rows, total) = Product::page(
            &mut c,
            &filter,
            sort,
            order == SortOrder::Asc,
            (page - 1) * limit,
            limit,
        )
        .await
        .map_err(ApiError::from)?;
        drop(c);
        let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
        prefetch(ctx, ctx.look_ahead().field("items"), &ids).await?;
        let items = rows
            .into_iter()
            .map(|p| ProductNode::new(p, locale.clone(), true))
            .collect();
        Ok(ProductPage {
            items,
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One active product, by id or by slug (in any locale, the request's first).
    async fn product(
        &self,
        ctx: &Context<'_>,
        id: Option<Uuid>,
        slug: Option<String>,
        locale: Option<String>,
    ) -> Result<ProductNode> {
        let s = ctx.data_unchecked::<AppState>();
        let locale = resolve_locale(ctx, locale);
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let row = match (id, slug) {
            (Some(id), _) => Product::by_id(&mut c, id).await,
            (None, Some(slug)) => Product::by_slug(&mut c, &slug, &locale.requested).await,
            (None, None) => {
                return Err(ApiError::invalid("id", "either id or slug is required").into());
            }
        }
        .map_err(ApiError::from)?;
        let p = row
            .filter(|p| p.active)
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, "product not found"))?;
        Ok(ProductNode::new(p, locale, true))
    }

    /// The tree of active categories, names in the request's locale.
    async fn category_tree(
        &self,
        ctx: &Context<'_>,
        locale: Option<String>,
    ) -> Result<Vec<CategoryNode>> {
        let s = ctx.data_unchecked::<AppState>();
        let locale = resolve_locale(ctx, locale);
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let cats = Category::all_active(&mut c).await.map_err(ApiError::from)?;
        let ids: Vec<Uuid> = cats.iter().map(|c| c.id).collect();
        let texts = batch::category_translations(&mut c, &ids)
            .await
            .map_err(ApiError::from)?;
        let mut children: HashMap<Option<Uuid>, Vec<&Category>> = HashMap::new();
        for cat in &cats {
            children.entry(cat.parent_id).or_default().push(cat);
        }
        fn build(
            parent: Option<Uuid>,
            children: &HashMap<Option<Uuid>, Vec<&Category>>,
            texts: &HashMap<Uuid, Vec<stoa_db::models::catalog::CategoryTranslation>>,
            locale: &Locale,
            depth: usize,
        ) -> Vec<CategoryNode> {
            if depth > 32 {
                return Vec::new();
            }
            children
                .get(&parent)
                .into_iter()
                .flatten()
                .map(|cat| {
                    let t = texts.get(&cat.id).map(Vec::as_slice).unwrap_or_default();
                    let pick = locale.pick(t, |x| &x.locale);
                    let exact = t.iter().find(|x| x.locale == locale.requested).map(|x| {
                        CategoryTranslationNode {
                            locale: x.locale.clone(),
                            name: x.name.clone(),
                            description: x.description.clone(),
                            slug: x.slug.clone(),
                        }
                    });
                    CategoryNode {
                        id: cat.id,
                        parent_id: cat.parent_id,
                        position: cat.position,
                        active: cat.active,
                        translation: exact,
                        created_at: cat.created_at,
                        updated_at: cat.updated_at,
                        name: pick.map(|x| x.name.clone()).unwrap_or_default(),
                        slug: pick.map(|x| x.slug.clone()).unwrap_or_default(),
                        description: pick.map(|x| x.description.clone()).unwrap_or_default(),
                        children: build(Some(cat.id), children, texts, locale, depth + 1),
                    }
                })
                .collect()
        }
        Ok(build(None, &children, &texts, &locale, 0))
    }
}

//! Storefront search with facets.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use stoa_db::models::search::{SearchParams, search};
use stoa_db::pool;
use uuid::Uuid;

use super::query::resolve_locale;
use crate::error::ApiError;
use crate::state::AppState;

/// Search filters.
#[derive(InputObject, Default)]
pub struct SearchFilter {
    /// Products in this category or any of its descendants.
    pub category_id: Option<Uuid>,
    /// Minimum gross price (minor units).
    pub min_price: Option<i32>,
    /// Maximum gross price (minor units).
    pub max_price: Option<i32>,
    /// Only products with stock.
    #[graphql(default)]
    pub in_stock: bool,
    /// Attribute options the product must have (all of them); take them from `facets`.
    #[graphql(default)]
    pub options: Vec<Uuid>,
}

/// One search hit.
#[derive(SimpleObject)]
pub struct SearchHitNode {
    /// The product id.
    pub id: Uuid,
    /// Always `product` for now.
    #[graphql(name = "type")]
    pub kind: String,
    /// Full-text rank (higher is better).
    pub score: f64,
    pub title: String,
    /// The first 200 characters.
    pub description: String,
    pub slug: String,
    pub price_gross: i32,
    pub currency: String,
    pub stock: i32,
}

/// A facet value with the number of matching products that have it.
#[derive(SimpleObject)]
pub struct FacetValue {
    /// The attribute option (null for boolean attributes).
    pub option_id: Option<Uuid>,
    pub value: String,
    pub count: i64,
}

/// Counts per value of one filterable attribute.
#[derive(SimpleObject)]
pub struct Facet {
    pub attribute_id: Uuid,
    /// The attribute identifier (`material`).
    pub attribute: String,
    /// The attribute name in the request's locale.
    pub name: String,
    pub values: Vec<FacetValue>,
}

/// Search results.
#[derive(SimpleObject)]
pub struct SearchResult {
    pub items: Vec<SearchHitNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
    pub facets: Vec<Facet>,
}

/// Search queries.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Full-text search of active products in the request's locale (argument, else
    /// `Accept-Language`, else the default), ranked, with filters and facet counts per
    /// filterable attribute value.
    async fn search(
        &self,
        ctx: &Context<'_>,
        q: String,
        locale: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
        filter: Option<SearchFilter>,
    ) -> Result<SearchResult> {
        if q.trim().is_empty() {
            return Err(ApiError::invalid("q", "query parameter 'q' is required").into());
        }
        let s = ctx.data_unchecked::<AppState>();
        let page = page.unwrap_or(1).max(1);
        let limit = limit.filter(|l| (1..=100).contains(l)).unwrap_or(25);
        let locale = resolve_locale(ctx, locale);
        let f = filter.unwrap_or_default();
        let params = SearchParams {
            q: q.trim().to_owned(),
            locale: locale.requested.clone(),
            category_id: f.category_id,
            min_price: f.min_price,
            max_price: f.max_price,
            in_stock: f.in_stock,
            options: f.options,
            offset: (page - 1) * limit,
            limit,
        };
        let mut c = pool::conn(&s.pool).await.map_err(ApiError::from)?;
        let (hits, total, counts) = search(&mut c, &params).await.map_err(ApiError::from)?;
        let mut facets: Vec<Facet> = Vec::new();
        for fc in counts {
            let value = FacetValue {
                option_id: fc.option_id,
                value: fc.value,
                count: fc.count,
            };
            match facets.last_mut() {
                Some(last) if last.attribute_id == fc.attribute_id => last.values.push(value),
                _ => facets.push(Facet {
                    attribute_id: fc.attribute_id,
                    attribute: fc.attribute,
                    name: fc.attribute_name,
                    values: vec![value],
                }),
            }
        }
        Ok(SearchResult {
            items: hits
                .into_iter()
                .map(|h| SearchHitNode {
                    id: h.id,
                    kind: "product".into(),
                    score: f64::from(h.score),
                    title: h.title,
                    description: h.description,
                    slug: h.slug,
                    price_gross: h.price_gross,
                    currency: h.currency,
                    stock: h.stock,
                })
                .collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
            facets,
        })
    }
}

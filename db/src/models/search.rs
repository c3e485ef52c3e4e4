//! Storefront search: full text in the request's locale (each locale with its own text-search
//! configuration and GIN index), ranked, with filters and facet counts per filterable
//! attribute value.

use diesel::sql_types::{Array, BigInt, Bool, Float4, Integer, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: String,
    pub locale: String,
    pub category_id: Option<Uuid>,
    pub min_price: Option<i32>,
    pub max_price: Option<i32>,
    pub in_stock: bool,
    /// Attribute options the product must have (all of them).
    pub options: Vec<Uuid>,
    pub offset: i64,
    pub limit: i64,
}

/// One hit.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct SearchHit {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Float4)]
    pub score: f32,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Integer)]
    pub price_gross: i32,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Integer)]
    pub stock: i32,
}

/// One facet value and how many matching products have it.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct FacetCount {
    #[diesel(sql_type = SqlUuid)]
    pub attribute_id: Uuid,
    #[diesel(sql_type = Text)]
    pub attribute: String,
    #[diesel(sql_type = Text)]
    pub attribute_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub option_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub value: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(diesel::QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The matching products ($1 q, $2 locale, $3 category, $4 min, $5 max, $6 in stock, $7 options).
const MATCHED: &str = r"
WITH RECURSIVE tree(id) AS (
  SELECT $3::uuid WHERE $3::uuid IS NOT NULL
  UNION SELECT c.id FROM categories c JOIN tree t ON c.parent_id = t.id WHERE c.active
), matched AS (
  SELECT p.id, ts_rank(pt.search_vector, plainto_tsquery(stoa_ts_config($2), $1)) AS score,
         pt.name AS title, pt.description, pt.slug, p.price_gross, p.currency, p.stock, p.created_at
  FROM products p
  JOIN product_translations pt ON pt.product_id = p.id AND pt.locale = $2
  WHERE p.active
    AND pt.search_vector @@ plainto_tsquery(stoa_ts_config($2), $1)
    AND ($3::uuid IS NULL OR p.id IN (SELECT pc.product_id FROM product_categories pc JOIN tree ON tree.id = pc.category_id))
    AND ($4::int IS NULL OR p.price_gross >= $4)
    AND ($5::int IS NULL OR p.price_gross <= $5)
    AND (NOT $6 OR p.stock > 0)
    AND NOT EXISTS (
      SELECT 1 FROM unnest($7::uuid[]) AS wanted(option_id)
      WHERE NOT EXISTS (
        SELECT 1 FROM product_attribute_values v
        LEFT JOIN product_attribute_value_options vo ON vo.value_id = v.id
        WHERE v.product_id = p.id AND (v.option_id = wanted.option_id OR vo.option_id = wanted.option_id)))
)";

macro_rules! bind_params {
    ($q:expr, $p:expr) => {
        $q.bind::<Text, _>($p.q.clone())
            .bind::<Text, _>($p.locale.clone())
            .bind::<Nullable<SqlUuid>, _>($p.category_id)
            .bind::<Nullable<Integer>, _>($p.min_price)
            .bind::<Nullable<Integer>, _>($p.max_price)
            .bind::<Bool, _>($p.in_stock)
            .bind::<Array<SqlUuid>, _>($p.options.clone())
    };
}

/// Runs a search: the page of hits (best first), the total, and the facets (three statements).
pub async fn search(
    conn: &mut AsyncPgConnection,
    p: &SearchParams,
) -> DbResult<(Vec<SearchHit>, i64, Vec<FacetCount>)> {
    let page_sql = format!(
        "{MATCHED} SELECT id, score, title, left(description, 200) AS description, slug, price_gross, currency, stock
         FROM matched ORDER BY score DESC, created_at DESC, id LIMIT $8 OFFSET $9"
    );
    let hits: Vec<SearchHit> = bind_params!(diesel::sql_query(page_sql), p)
        .bind::<BigInt, _>(p.limit)
        .bind::<BigInt, _>(p.offset)
        .load(conn)
        .await?;
    let count_sql = format!("{MATCHED} SELECT count(*) AS total FROM matched");
    let total: Total = bind_params!(diesel::sql_query(count_sql), p)
        .get_result(conn)
        .await?;
    let facet_sql = format!(
        "{MATCHED}
         SELECT a.id AS attribute_id, a.identifier AS attribute,
                COALESCE((SELECT at.name FROM attribute_translations at WHERE at.attribute_id = a.id ORDER BY at.locale <> $2, at.locale LIMIT 1), a.identifier) AS attribute_name,
                ao.id AS option_id,
                CASE WHEN a.type = 'boolean' THEN v.value_boolean::text
                     ELSE COALESCE((SELECT aot.name FROM attribute_option_translations aot WHERE aot.option_id = ao.id ORDER BY aot.locale <> $2, aot.locale LIMIT 1), '') END AS value,
                count(DISTINCT m.id) AS count
         FROM matched m
         JOIN product_attribute_values v ON v.product_id = m.id
         JOIN attributes a ON a.id = v.attribute_id AND a.filterable
         LEFT JOIN product_attribute_value_options vo ON vo.value_id = v.id
         LEFT JOIN attribute_options ao ON ao.id = COALESCE(vo.option_id, v.option_id)
         WHERE (a.type = 'boolean' AND v.value_boolean IS NOT NULL) OR ao.id IS NOT NULL
         GROUP BY a.id, a.identifier, a.position, ao.id, ao.position, a.type, v.value_boolean
         ORDER BY a.position, a.identifier, ao.position NULLS LAST, value"
    );
    let facets: Vec<FacetCount> = bind_params!(diesel::sql_query(facet_sql), p)
        .load(conn)
        .await?;
    Ok((hits, total.total, facets))
}

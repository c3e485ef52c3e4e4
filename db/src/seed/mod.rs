//! Demo data (`stoa seed --demo`): the reference's data set, in one transaction.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use crate::error::{DbError, DbResult};

const DEMO: &str = include_str!("demo.sql");

/// The named steps of the demo script.
pub fn demo_steps() -> Vec<(&'static str, &'static str)> {
    DEMO.split("-- step: ")
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| s.split_once('\n'))
        .map(|(name, sql)| (name.trim(), sql))
        .collect()
}

/// Whether the catalog already has products.
pub async fn has_products(conn: &mut AsyncPgConnection) -> DbResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let row: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM products) AS exists")
        .get_result(conn)
        .await?;
    Ok(row.exists)
}

/// Loads the demo data unless products exist; `progress` is called after each step.
/// Returns false when the catalog was not empty (nothing written).
pub async fn seed_demo(
    conn: &mut AsyncPgConnection,
    progress: &(dyn Fn(&str) + Sync),
) -> DbResult<bool> {
    conn.transaction::<_, DbError, _>(async move |tx| {
        diesel::sql_query("LOCK TABLE products IN EXCLUSIVE MODE")
            .execute(tx)
            .await?;
        if has_products(tx).await? {
            return Ok(false);
        }
        for (name, sql) in demo_steps() {
            tx.batch_execute(sql).await?;
            progress(name);
        }
        Ok(true)
    })
    .await
}

/// Adds `n` generated products (two locales, two variants on a size axis, a media row, a
/// category, warehouse stock) for benchmarks and tests; returns how many were added.
pub async fn generate_products(conn: &mut AsyncPgConnection, n: i64) -> DbResult<i64> {
    let n = n.max(0);
    conn.transaction::<_, DbError, _>(async move |tx| {
        tx.batch_execute(GENERATED_FIXTURES).await?;
        diesel::sql_query(GENERATE_PRODUCTS)
            .bind::<diesel::sql_types::BigInt, _>(n)
            .execute(tx)
            .await?;
        tx.batch_execute(GENERATED_RELATIONS).await?;
        Ok(n)
    })
    .await
}

/// Shared rows the generated products hang off (idempotent).
const GENERATED_FIXTURES: &str = r"
INSERT INTO categories (id, position) VALUES ('0e000000-0000-4000-8000-000000000001', 99) ON CONFLICT DO NOTHING;
INSERT INTO category_translations (category_id, locale, name, description, slug) VALUES
  ('0e000000-0000-4000-8000-000000000001', 'de-DE', 'Generiert', '', 'generiert'),
  ('0e000000-0000-4000-8000-000000000001', 'en-US', 'Generated', '', 'generated')
ON CONFLICT DO NOTHING;
INSERT INTO property_groups (id, identifier, position) VALUES ('0e000000-0000-4000-8000-000000000002', 'generated-size', 99) ON CONFLICT DO NOTHING;
INSERT INTO property_options (id, group_id, code, position) VALUES
  ('0e000000-0000-4000-8000-000000000003', '0e000000-0000-4000-8000-000000000002', 'A', 0),
  ('0e000000-0000-4000-8000-000000000004', '0e000000-0000-4000-8000-000000000002', 'B', 1)
ON CONFLICT DO NOTHING;
INSERT INTO property_option_translations (option_id, locale, name) VALUES
  ('0e000000-0000-4000-8000-000000000003', 'de-DE', 'Klein'), ('0e000000-0000-4000-8000-000000000003', 'en-US', 'Small'),
  ('0e000000-0000-4000-8000-000000000004', 'de-DE', 'Groß'), ('0e000000-0000-4000-8000-000000000004', 'en-US', 'Large')
ON CONFLICT DO NOTHING;
CREATE TEMP TABLE IF NOT EXISTS generated_now (id UUID PRIMARY KEY) ON COMMIT DROP;
";

/// `$1` new active products, remembered in `generated_now`.
const GENERATE_PRODUCTS: &str = r"
WITH made AS (
  INSERT INTO products (sku, active, price_net, price_gross, currency, weight, created_at)
  SELECT 'GEN-' || substr(md5(random()::text || g::text), 1, 12), TRUE, 1000 + (g % 500) * 10,
         round((1000 + (g % 500) * 10) * 1.19), 'EUR', 100 + g % 900, NOW() - (g || ' seconds')::interval
  FROM generate_series(1, $1) AS g
  RETURNING id
)
INSERT INTO generated_now (id) SELECT id FROM made
";

/// Translations, variants, options, media, category and stock of the rows in `generated_now`.
const GENERATED_RELATIONS: &str = r"
INSERT INTO product_translations (product_id, locale, name, description, slug)
SELECT p.id, l.locale, l.prefix || ' ' || p.sku, l.text || ' ' || p.sku, lower(p.sku) || '-' || l.suffix
FROM generated_now g JOIN products p ON p.id = g.id
CROSS JOIN (VALUES ('de-DE', 'Artikel', 'Ein generierter Artikel zum Testen:', 'de'),
                   ('en-US', 'Item', 'A generated item for testing:', 'en')) AS l(locale, prefix, text, suffix);
INSERT INTO product_variants (product_id, sku)
SELECT p.id, p.sku || '-' || o.code
FROM generated_now g JOIN products p ON p.id = g.id
CROSS JOIN (VALUES ('A'), ('B')) AS o(code);
INSERT INTO product_variant_options (variant_id, option_id)
SELECT v.id, CASE WHEN right(v.sku, 1) = 'A' THEN '0e000000-0000-4000-8000-000000000003'::uuid
                  ELSE '0e000000-0000-4000-8000-000000000004'::uuid END
FROM generated_now g JOIN product_variants v ON v.product_id = g.id;
WITH m AS (
  INSERT INTO media (filename, mime_type, size, storage_path)
  SELECT lower(p.sku) || '.jpg', 'image/jpeg', 1024, 'generated/' || lower(p.sku) || '.jpg'
  FROM generated_now g JOIN products p ON p.id = g.id
  RETURNING id, filename
)
INSERT INTO product_media (product_id, media_id, position)
SELECT p.id, m.id, 0 FROM m JOIN products p ON lower(p.sku) || '.jpg' = m.filename;
INSERT INTO product_categories (product_id, category_id)
SELECT id, '0e000000-0000-4000-8000-000000000001' FROM generated_now;
INSERT INTO warehouse_stock (warehouse_id, product_id, variant_id, quantity)
SELECT '00000000-0000-0000-0000-000000000001', v.product_id, v.id, 100
FROM generated_now g JOIN product_variants v ON v.product_id = g.id;
UPDATE product_variants v SET stock = 100 FROM generated_now g WHERE v.product_id = g.id;
UPDATE products p SET stock = 200 FROM generated_now g WHERE p.id = g.id;
";

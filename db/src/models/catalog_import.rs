//! Lookups of the product bulk upsert and CSV import: products and variants by SKU, property
//! groups and options by their translated name (found or created). The writes themselves go
//! through the single-product, single-variant and warehouse-stock functions, so a bulk item
//! is validated and stored exactly as a single create or update.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog::Product;
use super::catalog_manage::{OptionWrite, PropertyGroupAdmin};
use super::catalog_write::PropertyGroups;
use crate::error::{DbError, DbResult};
use crate::lower;
use crate::schema::{
    product_variant_options, product_variants, products, property_group_translations,
    property_groups, property_option_translations, property_options,
};

/// A variant found by its SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantOwner {
    pub variant_id: Uuid,
    pub product_id: Uuid,
}

/// Lookups of the bulk upsert.
pub struct ImportLookup;

impl ImportLookup {
    /// The product with this (non-empty) SKU; `lock` takes its row lock (inside a
    /// transaction) so that concurrent imports of one SKU run one after the other.
    pub async fn product_by_sku(
        conn: &mut AsyncPgConnection,
        sku: &str,
        lock: bool,
    ) -> DbResult<Option<Product>> {
        let q = products::table
            .filter(products::sku.eq(sku))
            .select(Product::as_select());
        Ok(if lock {
            q.for_update().first(conn).await.optional()?
        } else {
            q.first(conn).await.optional()?
        })
    }

    /// The variant with this (non-empty) SKU, whichever product it belongs to.
    pub async fn variant_by_sku(
        conn: &mut AsyncPgConnection,
        sku: &str,
    ) -> DbResult<Option<VariantOwner>> {
        let row: Option<(Uuid, Uuid)> = product_variants::table
            .filter(product_variants::sku.eq(sku))
            .select((product_variants::id, product_variants::product_id))
            .first(conn)
            .await
            .optional()?;
        Ok(row.map(|(variant_id, product_id)| VariantOwner {
            variant_id,
            product_id,
        }))
    }

    /// The variant of the product without a SKU whose option set is exactly `options`.
    pub async fn variant_by_options(
        conn: &mut AsyncPgConnection,
        product_id: Uuid,
        options: &[Uuid],
    ) -> DbResult<Option<Uuid>> {
        let wanted: BTreeSet<Uuid> = options.iter().copied().collect();
        let variants: Vec<Uuid> = product_variants::table
            .filter(product_variants::product_id.eq(product_id))
            .filter(product_variants::sku.is_null())
            .order(product_variants::created_at)
            .select(product_variants::id)
            .load(conn)
            .await?;
        if variants.is_empty() {
            return Ok(None);
        }
        let links: Vec<(Uuid, Uuid)> = product_variant_options::table
            .filter(product_variant_options::variant_id.eq_any(&variants))
            .select((
                product_variant_options::variant_id,
                product_variant_options::option_id,
            ))
            .load(conn)
            .await?;
        Ok(variants.into_iter().find(|v| {
            let set: BTreeSet<Uuid> = links
                .iter()
                .filter(|(lv, _)| lv == v)
                .map(|(_, o)| *o)
                .collect();
            set == wanted
        }))
    }

    /// The option named `option_name` of the group named `group_name` (names compared
    /// with SQL `LOWER` on both sides, in `locale`), creating the group and the option when they do not
    /// exist. A new group's identifier is `identifier` (made unique with `-2`, `-3` …); a new
    /// option gets `code` and the next position. Creation is serialised by a transaction
    /// advisory lock, so concurrent imports of the same name find one group.
    pub async fn find_or_create_option(
        conn: &mut AsyncPgConnection,
        locale: &str,
        group_name: &str,
        option_name: &str,
        identifier: &str,
        code: &str,
    ) -> DbResult<Uuid> {
        let group = match group_by_name(conn, locale, group_name).await? {
            Some(g) => g,
            None => {
                creation_lock(conn).await?;
                match group_by_name(conn, locale, group_name).await? {
                    Some(g) => g,
                    None => {
                        let identifier = free_identifier(conn, identifier).await?;
                        PropertyGroups::create(
                            conn,
                            &identifier,
                            0,
                            vec![(locale.to_owned(), group_name.to_owned())],
                            Vec::new(),
                        )
                        .await?
                    }
                }
            }
        };
        if let Some(o) = option_by_name(conn, group, locale, option_name).await? {
            return Ok(o);
        }
        creation_lock(conn).await?;
        if let Some(o) = option_by_name(conn, group, locale, option_name).await? {
            return Ok(o);
        }
        let count: i64 = property_options::table
            .filter(property_options::group_id.eq(group))
            .count()
            .get_result(conn)
            .await?;
        let (o, _) = PropertyGroupAdmin::save_option(
            conn,
            group,
            None,
            OptionWrite {
                code: code.to_owned(),
                color_hex: None,
                position: i32::try_from(count).unwrap_or(i32::MAX),
                names: vec![(locale.to_owned(), option_name.to_owned())],
            },
        )
        .await?
        .ok_or(DbError::NotFound)?;
        Ok(o.id)
    }
}

/// Serialises the creation of property groups and options until the transaction ends.
async fn creation_lock(conn: &mut AsyncPgConnection) -> DbResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('stoa.import.property-options'))")
        .execute(conn)
        .await?;
    Ok(())
}

async fn group_by_name(
    conn: &mut AsyncPgConnection,
    locale: &str,
    name: &str,
) -> DbResult<Option<Uuid>> {
    Ok(property_group_translations::table
        .inner_join(property_groups::table)
        .filter(property_group_translations::locale.eq(locale))
        .filter(lower(property_group_translations::name).eq(lower(name.into_sql::<Text>())))
        .order((property_groups::created_at, property_groups::id))
        .select(property_groups::id)
        .first(conn)
        .await
        .optional()?)
}

async fn option_by_name(
    conn: &mut AsyncPgConnection,
    group: Uuid,
    locale: &str,
    name: &str,
) -> DbResult<Option<Uuid>> {
    Ok(property_option_translations::table
        .inner_join(property_options::table)
        .filter(property_options::group_id.eq(group))
        .filter(property_option_translations::locale.eq(locale))
        .filter(lower(property_option_translations::name).eq(lower(name.into_sql::<Text>())))
        .order((property_options::position, property_options::id))
        .select(property_options::id)
        .first(conn)
        .await
        .optional()?)
}

/// `base`, or `base-2`, `base-3` … whichever no group has yet.
async fn free_identifier(conn: &mut AsyncPgConnection, base: &str) -> DbResult<String> {
    let taken: Vec<String> = property_groups::table
        .filter(
            property_groups::identifier
                .eq(base)
                .or(property_groups::identifier
                    .like(format!("{}-%", super::catalog_manage::escape_like(base)))),
        )
        .select(property_groups::identifier)
        .load(conn)
        .await?;
    let mut candidate = base.to_owned();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}

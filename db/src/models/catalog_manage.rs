//! Catalog maintenance beyond products: tags, category listing/update/delete, single
//! variants, property-group update/delete and their options, warehouse update/delete and
//! stock reads. Every use case spanning rows runs in one transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog::{Category, CategoryTranslation, PropertyOption, Variant};
use super::catalog_write::{Warehouse, resync_stock};
use crate::error::{DbError, DbResult};
use crate::schema::{
    categories, category_translations, product_variant_options, product_variants, products,
    property_group_translations, property_groups, property_option_translations, property_options,
    stock_movements, tax_rules, warehouse_stock, warehouses,
};

/// The default warehouse created by the catalog migration (bulk import and the demo data
/// put stock there).
pub const DEFAULT_WAREHOUSE: Uuid = Uuid::from_u128(1);

// --- tags -----------------------------------------------------------------------------

/// A product tag.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::tags, check_for_backend(diesel::pg::Pg))]
pub struct Tag {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

impl Tag {
    /// A page of tags by name, optionally filtered by a name substring.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        name: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Self>, i64)> {
        use crate::schema::tags::dsl;
        let pattern = name.map(|n| format!("%{}%", escape_like(n)));
        let mut count = dsl::tags.count().into_boxed();
        let mut q = dsl::tags.select(Self::as_select()).into_boxed();
        if let Some(p) = &pattern {
            count = count.filter(dsl::name.ilike(p.clone()));
            q = q.filter(dsl::name.ilike(p.clone()));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows = q
            .order((dsl::name, dsl::id))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// A tag by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        use crate::schema::tags::dsl;
        Ok(dsl::tags
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Creates a tag (a taken slug is a conflict).
    pub async fn create(conn: &mut AsyncPgConnection, name: &str, slug: &str) -> DbResult<Self> {
        use crate::schema::tags::dsl;
        Ok(diesel::insert_into(dsl::tags)
            .values((
                dsl::id.eq(Uuid::now_v7()),
                dsl::name.eq(name),
                dsl::slug.eq(slug),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Changes name and slug; `None` when the tag does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        name: &str,
        slug: &str,
    ) -> DbResult<Option<Self>> {
        use crate::schema::tags::dsl;
        Ok(diesel::update(dsl::tags.find(id))
            .set((dsl::name.eq(name), dsl::slug.eq(slug)))
            .returning(Self::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Deletes a tag (product links go with it).
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        use crate::schema::tags::dsl;
        Ok(diesel::delete(dsl::tags.find(id)).execute(conn).await? > 0)
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

// --- categories -----------------------------------------------------------------------

/// A category with every translation.
#[derive(Debug, Clone)]
pub struct CategoryFull {
    pub category: Category,
    pub translations: Vec<CategoryTranslation>,
}

/// The writable fields of a category (a full replace, as the reference's PUT).
#[derive(Debug, Clone)]
pub struct CategoryWrite {
    pub parent_id: Option<Uuid>,
    pub position: i32,
    pub active: bool,
    pub custom_fields: serde_json::Value,
    /// `(locale, name, description, slug)`.
    pub translations: Vec<(String, String, String, String)>,
}

/// Why a category write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryRefusal {
    /// The parent does not exist.
    UnknownParent,
    /// The parent is the category itself or one of its descendants.
    Cycle,
}

/// Category maintenance.
pub struct CategoryAdmin;

impl CategoryAdmin {
    /// A page of categories (not of translation rows), by position, optionally under a
    /// parent and by active flag; translations in two more statements.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        parent_id: Option<Uuid>,
        active: Option<bool>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<CategoryFull>, i64)> {
        let mut count = categories::table.count().into_boxed();
        let mut q = categories::table.select(Category::as_select()).into_boxed();
        if let Some(p) = parent_id {
            count = count.filter(categories::parent_id.eq(p));
            q = q.filter(categories::parent_id.eq(p));
        }
        if let Some(a) = active {
            count = count.filter(categories::active.eq(a));
            q = q.filter(categories::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows: Vec<Category> = q
            .order((categories::position, categories::created_at, categories::id))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((Self::with_translations(conn, rows).await?, total))
    }

    /// A category by id with its translations.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<CategoryFull>> {
        let row: Option<Category> = categories::table
            .find(id)
            .select(Category::as_select())
            .first(conn)
            .await
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        Ok(Self::with_translations(conn, vec![row]).await?.pop())
    }

    async fn with_translations(
        conn: &mut AsyncPgConnection,
        rows: Vec<Category>,
    ) -> DbResult<Vec<CategoryFull>> {
        let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
        let ts: Vec<CategoryTranslation> = if ids.is_empty() {
            Vec::new()
        } else {
            category_translations::table
                .filter(category_translations::category_id.eq_any(&ids))
                .order(category_translations::locale)
                .select(CategoryTranslation::as_select())
                .load(conn)
                .await?
        };
        Ok(rows
            .into_iter()
            .map(|c| CategoryFull {
                translations: ts
                    .iter()
                    .filter(|t| t.category_id == c.id)
                    .cloned()
                    .collect(),
                category: c,
            })
            .collect())
    }

    /// Replaces a category's fields and translations; refuses unknown parents and cycles.
    /// `Ok(None)` when the category does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        w: CategoryWrite,
    ) -> DbResult<Result<Option<CategoryFull>, CategoryRefusal>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let exists: Option<Uuid> = categories::table
                .find(id)
                .select(categories::id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            if exists.is_none() {
                return Ok(Ok(None));
            }
            if let Some(parent) = w.parent_id {
                // The parent must exist and must not sit below the category.
                let ancestors: Vec<AncestorRow> = diesel::sql_query(
                    "WITH RECURSIVE up AS (
                       SELECT id, parent_id, 1 AS depth FROM categories WHERE id = $1
                       UNION ALL
                       SELECT c.id, c.parent_id, up.depth + 1 FROM categories c
                         JOIN up ON c.id = up.parent_id WHERE up.depth < 1000)
                     SELECT id FROM up",
                )
                .bind::<diesel::sql_types::Uuid, _>(parent)
                .load(tx)
                .await?;
                if ancestors.is_empty() {
                    return Ok(Err(CategoryRefusal::UnknownParent));
                }
                if ancestors.iter().any(|a| a.id == id) {
                    return Ok(Err(CategoryRefusal::Cycle));
                }
            }
            diesel::update(categories::table.find(id))
                .set((
                    categories::parent_id.eq(w.parent_id),
                    categories::position.eq(w.position),
                    categories::active.eq(w.active),
                    categories::custom_fields.eq(&w.custom_fields),
                    categories::updated_at.eq(Utc::now()),
                ))
                .execute(tx)
                .await?;
            diesel::delete(
                category_translations::table.filter(category_translations::category_id.eq(id)),
            )
            .execute(tx)
            .await?;
            let rows: Vec<_> = w
                .translations
                .iter()
                .map(|(l, n, d, s)| {
                    (
                        category_translations::category_id.eq(id),
                        category_translations::locale.eq(l.clone()),
                        category_translations::name.eq(n.clone()),
                        category_translations::description.eq(d.clone()),
                        category_translations::slug.eq(s.clone()),
                    )
                })
                .collect();
            diesel::insert_into(category_translations::table)
                .values(&rows)
                .execute(tx)
                .await?;
            Ok(Ok(Self::by_id(tx, id).await?))
        })
        .await
    }

    /// Deletes a category: its children move up to its parent, product links go.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let parent: Option<Option<Uuid>> = categories::table
                .find(id)
                .select(categories::parent_id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            let Some(parent) = parent else {
                return Ok(false);
            };
            diesel::update(categories::table.filter(categories::parent_id.eq(id)))
                .set(categories::parent_id.eq(parent))
                .execute(tx)
                .await?;
            diesel::delete(categories::table.find(id))
                .execute(tx)
                .await?;
            Ok(true)
        })
        .await
    }
}

#[derive(QueryableByName)]
struct AncestorRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

// --- single variants ------------------------------------------------------------------

/// The writable fields of a variant (a full replace on update, as the reference's PUT).
#[derive(Debug, Clone)]
pub struct VariantWrite {
    /// `None` or empty: no SKU.
    pub sku: Option<String>,
    /// `None`: inherit the product's price.
    pub price_net: Option<i32>,
    pub price_gross: Option<i32>,
    pub active: bool,
    /// One option per property group.
    pub option_ids: Vec<Uuid>,
    /// When given, the absolute quantity in the default warehouse.
    pub stock: Option<i32>,
}

/// Why a variant write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantRefusal {
    /// The product does not exist.
    UnknownProduct,
    /// The variant does not exist or belongs to another product.
    UnknownVariant,
    /// An option id does not exist.
    UnknownOption(Uuid),
    /// Two options of the same property group.
    SameGroupTwice,
    /// Another variant of the product has exactly these options.
    DuplicateCombination,
}

/// Single-variant maintenance.
pub struct VariantAdmin;

impl VariantAdmin {
    /// Creates (`variant_id` `None`) or replaces a variant of a product, with its option set
    /// and optionally its default-warehouse stock, in one transaction.
    pub async fn save(
        conn: &mut AsyncPgConnection,
        product_id: Uuid,
        variant_id: Option<Uuid>,
        w: VariantWrite,
    ) -> DbResult<Result<Variant, VariantRefusal>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let product: Option<Uuid> = products::table
                .find(product_id)
                .select(products::id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            if product.is_none() {
                return Ok(Err(VariantRefusal::UnknownProduct));
            }
            if let Some(vid) = variant_id {
                let owner: Option<Uuid> = product_variants::table
                    .find(vid)
                    .select(product_variants::product_id)
                    .first(tx)
                    .await
                    .optional()?;
                if owner != Some(product_id) {
                    return Ok(Err(VariantRefusal::UnknownVariant));
                }
            }
            let mut option_ids = w.option_ids.clone();
            option_ids.sort();
            option_ids.dedup();
            let opts: Vec<PropertyOption> = property_options::table
                .filter(property_options::id.eq_any(&option_ids))
                .select(PropertyOption::as_select())
                .load(tx)
                .await?;
            if let Some(missing) = option_ids
                .iter()
                .find(|id| !opts.iter().any(|o| o.id == **id))
            {
                return Ok(Err(VariantRefusal::UnknownOption(*missing)));
            }
            let mut groups: Vec<Uuid> = opts.iter().map(|o| o.group_id).collect();
            groups.sort();
            groups.dedup();
            if groups.len() != opts.len() {
                return Ok(Err(VariantRefusal::SameGroupTwice));
            }
            if !option_ids.is_empty() {
                // Another variant with exactly this option set?
                let siblings: Vec<(Uuid, Uuid)> = product_variant_options::table
                    .inner_join(product_variants::table)
                    .filter(product_variants::product_id.eq(product_id))
                    .select((
                        product_variant_options::variant_id,
                        product_variant_options::option_id,
                    ))
                    .load(tx)
                    .await?;
                let mut by_variant: std::collections::HashMap<Uuid, Vec<Uuid>> =
                    std::collections::HashMap::new();
                for (v, o) in siblings {
                    if Some(v) != variant_id {
                        by_variant.entry(v).or_default().push(o);
                    }
                }
                if by_variant.values_mut().any(|set| {
                    set.sort();
                    *set == option_ids
                }) {
                    return Ok(Err(VariantRefusal::DuplicateCombination));
                }
            }
            let sku = w
                .sku
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            let id = match variant_id {
                Some(vid) => {
                    diesel::update(product_variants::table.find(vid))
                        .set((
                            product_variants::sku.eq(&sku),
                            product_variants::price_net.eq(w.price_net),
                            product_variants::price_gross.eq(w.price_gross),
                            product_variants::active.eq(w.active),
                            product_variants::updated_at.eq(Utc::now()),
                        ))
                        .execute(tx)
                        .await?;
                    diesel::delete(
                        product_variant_options::table
                            .filter(product_variant_options::variant_id.eq(vid)),
                    )
                    .execute(tx)
                    .await?;
                    vid
                }
                None => {
                    let vid = Uuid::now_v7();
                    diesel::insert_into(product_variants::table)
                        .values((
                            product_variants::id.eq(vid),
                            product_variants::product_id.eq(product_id),
                            product_variants::sku.eq(&sku),
                            product_variants::price_net.eq(w.price_net),
                            product_variants::price_gross.eq(w.price_gross),
                            product_variants::active.eq(w.active),
                        ))
                        .execute(tx)
                        .await?;
                    vid
                }
            };
            let links: Vec<_> = option_ids
                .iter()
                .map(|o| {
                    (
                        product_variant_options::variant_id.eq(id),
                        product_variant_options::option_id.eq(*o),
                    )
                })
                .collect();
            if !links.is_empty() {
                diesel::insert_into(product_variant_options::table)
                    .values(&links)
                    .execute(tx)
                    .await?;
            }
            diesel::update(products::table.find(product_id))
                .set(products::updated_at.eq(Utc::now()))
                .execute(tx)
                .await?;
            if let Some(q) = w.stock {
                set_default_stock(tx, product_id, id, q).await?;
            }
            let v: Variant = product_variants::table
                .find(id)
                .select(Variant::as_select())
                .first(tx)
                .await?;
            Ok(Ok(v))
        })
        .await
    }

    /// Deletes a variant of a product; its stock rows go and the product stock is re-derived.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        product_id: Uuid,
        variant_id: Uuid,
    ) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let n = diesel::delete(
                product_variants::table
                    .filter(product_variants::id.eq(variant_id))
                    .filter(product_variants::product_id.eq(product_id)),
            )
            .execute(tx)
            .await?;
            if n > 0 {
                resync_stock(tx, &[product_id]).await?;
            }
            Ok(n > 0)
        })
        .await
    }
}

/// Sets a variant's absolute quantity in the default warehouse, with a movement for the delta.
async fn set_default_stock(
    tx: &mut AsyncPgConnection,
    product_id: Uuid,
    variant_id: Uuid,
    quantity: i32,
) -> DbResult<()> {
    let current: Option<(Uuid, i32)> = warehouse_stock::table
        .filter(warehouse_stock::warehouse_id.eq(DEFAULT_WAREHOUSE))
        .filter(warehouse_stock::variant_id.eq(variant_id))
        .select((warehouse_stock::id, warehouse_stock::quantity))
        .for_update()
        .first(tx)
        .await
        .optional()?;
    let before = current.map_or(0, |c| c.1);
    match current {
        Some((sid, _)) => {
            diesel::update(warehouse_stock::table.find(sid))
                .set((
                    warehouse_stock::quantity.eq(quantity),
                    warehouse_stock::updated_at.eq(Utc::now()),
                ))
                .execute(tx)
                .await?;
        }
        None => {
            diesel::insert_into(warehouse_stock::table)
                .values((
                    warehouse_stock::id.eq(Uuid::now_v7()),
                    warehouse_stock::warehouse_id.eq(DEFAULT_WAREHOUSE),
                    warehouse_stock::product_id.eq(product_id),
                    warehouse_stock::variant_id.eq(variant_id),
                    warehouse_stock::quantity.eq(quantity),
                ))
                .execute(tx)
                .await?;
        }
    }
    if quantity != before {
        diesel::insert_into(stock_movements::table)
            .values((
                stock_movements::id.eq(Uuid::now_v7()),
                stock_movements::warehouse_id.eq(DEFAULT_WAREHOUSE),
                stock_movements::product_id.eq(product_id),
                stock_movements::variant_id.eq(variant_id),
                stock_movements::movement_type.eq("adjustment"),
                stock_movements::quantity.eq(quantity - before),
                stock_movements::reference.eq("variant"),
            ))
            .execute(tx)
            .await?;
    }
    resync_stock(tx, &[product_id]).await
}

// --- property groups and options ------------------------------------------------------

/// Writable fields of a property option.
#[derive(Debug, Clone)]
pub struct OptionWrite {
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    /// `(locale, name)`.
    pub names: Vec<(String, String)>,
}

/// Property-group maintenance.
pub struct PropertyGroupAdmin;

impl PropertyGroupAdmin {
    /// Replaces identifier, position and names; `false` when the group does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        identifier: &str,
        position: i32,
        names: Vec<(String, String)>,
    ) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let n = diesel::update(property_groups::table.find(id))
                .set((
                    property_groups::identifier.eq(identifier),
                    property_groups::position.eq(position),
                    property_groups::updated_at.eq(Utc::now()),
                ))
                .execute(tx)
                .await?;
            if n == 0 {
                return Ok(false);
            }
            diesel::delete(
                property_group_translations::table
                    .filter(property_group_translations::property_group_id.eq(id)),
            )
            .execute(tx)
            .await?;
            let rows: Vec<_> = names
                .iter()
                .map(|(l, n)| {
                    (
                        property_group_translations::property_group_id.eq(id),
                        property_group_translations::locale.eq(l.clone()),
                        property_group_translations::name.eq(n.clone()),
                    )
                })
                .collect();
            diesel::insert_into(property_group_translations::table)
                .values(&rows)
                .execute(tx)
                .await?;
            Ok(true)
        })
        .await
    }

    /// Deletes a group; refused (conflict) while a variant uses one of its options.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(property_groups::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }

    /// Creates (`option_id` `None`) or replaces an option of a group. `Ok(None)` when the
    /// group (or the option within it) does not exist.
    pub async fn save_option(
        conn: &mut AsyncPgConnection,
        group_id: Uuid,
        option_id: Option<Uuid>,
        w: OptionWrite,
    ) -> DbResult<Option<(PropertyOption, Vec<(String, String)>)>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let group: Option<Uuid> = property_groups::table
                .find(group_id)
                .select(property_groups::id)
                .first(tx)
                .await
                .optional()?;
            if group.is_none() {
                return Ok(None);
            }
            let id = match option_id {
                Some(oid) => {
                    let n = diesel::update(
                        property_options::table
                            .filter(property_options::id.eq(oid))
                            .filter(property_options::group_id.eq(group_id)),
                    )
                    .set((
                        property_options::code.eq(&w.code),
                        property_options::color_hex.eq(&w.color_hex),
                        property_options::position.eq(w.position),
                        property_options::updated_at.eq(Utc::now()),
                    ))
                    .execute(tx)
                    .await?;
                    if n == 0 {
                        return Ok(None);
                    }
                    diesel::delete(
                        property_option_translations::table
                            .filter(property_option_translations::option_id.eq(oid)),
                    )
                    .execute(tx)
                    .await?;
                    oid
                }
                None => {
                    let oid = Uuid::now_v7();
                    diesel::insert_into(property_options::table)
                        .values((
                            property_options::id.eq(oid),
                            property_options::group_id.eq(group_id),
                            property_options::code.eq(&w.code),
                            property_options::color_hex.eq(&w.color_hex),
                            property_options::position.eq(w.position),
                        ))
                        .execute(tx)
                        .await?;
                    oid
                }
            };
            let rows: Vec<_> = w
                .names
                .iter()
                .map(|(l, n)| {
                    (
                        property_option_translations::option_id.eq(id),
                        property_option_translations::locale.eq(l.clone()),
                        property_option_translations::name.eq(n.clone()),
                    )
                })
                .collect();
            diesel::insert_into(property_option_translations::table)
                .values(&rows)
                .execute(tx)
                .await?;
            let o: PropertyOption = property_options::table
                .find(id)
                .select(PropertyOption::as_select())
                .first(tx)
                .await?;
            Ok(Some((o, w.names)))
        })
        .await
    }

    /// Deletes an option of a group; refused (conflict) while a variant uses it.
    pub async fn delete_option(
        conn: &mut AsyncPgConnection,
        group_id: Uuid,
        option_id: Uuid,
    ) -> DbResult<bool> {
        Ok(diesel::delete(
            property_options::table
                .filter(property_options::id.eq(option_id))
                .filter(property_options::group_id.eq(group_id)),
        )
        .execute(conn)
        .await?
            > 0)
    }
}

// --- tax rules ------------------------------------------------------------------------

/// Tax-rule maintenance.
pub struct TaxRuleAdmin;

impl TaxRuleAdmin {
    /// Replaces a rule's fields; `false` when it does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        name: &str,
        rate: i32,
        country: &str,
        kind: &str,
    ) -> DbResult<bool> {
        Ok(diesel::update(tax_rules::table.find(id))
            .set((
                tax_rules::name.eq(name),
                tax_rules::rate.eq(rate),
                tax_rules::country_code.eq(country),
                tax_rules::type_.eq(kind),
                tax_rules::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?
            > 0)
    }

    /// Deletes a rule; refused (conflict) while a product uses it.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(tax_rules::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }
}

// --- warehouses and stock -------------------------------------------------------------

/// Writable fields of a warehouse.
#[derive(Debug, Clone)]
pub struct WarehouseWrite {
    pub name: String,
    pub code: String,
    pub priority: i32,
    pub active: bool,
    pub allow_negative_stock: bool,
}

/// Why a warehouse delete was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarehouseRefusal {
    /// The default warehouse receives imported and variant stock; it stays.
    Default,
    /// Stock is still held there (move or zero it first).
    HoldsStock(i64),
}

/// A stock row with the names an admin reads it by.
#[derive(Debug, Clone, QueryableByName)]
pub struct StockEntry {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub warehouse_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub product_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub variant_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub quantity: i32,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub warehouse_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub warehouse_code: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub product_sku: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub product_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub variant_sku: Option<String>,
}

const STOCK_SELECT: &str =
    "SELECT ws.id, ws.warehouse_id, ws.product_id, ws.variant_id, ws.quantity,
       ws.created_at, ws.updated_at, w.name::text AS warehouse_name, w.code::text AS warehouse_code,
       p.sku::text AS product_sku,
       (SELECT pt.name::text FROM product_translations pt WHERE pt.product_id = p.id
         ORDER BY (pt.locale = $2) DESC, pt.locale LIMIT 1) AS product_name,
       v.sku::text AS variant_sku
  FROM warehouse_stock ws
  JOIN warehouses w ON w.id = ws.warehouse_id
  JOIN products p ON p.id = ws.product_id
  LEFT JOIN product_variants v ON v.id = ws.variant_id";

/// Warehouse maintenance and stock reads.
pub struct WarehouseAdmin;

impl WarehouseAdmin {
    /// A page of warehouses by priority and name, optionally by active flag.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        active: Option<bool>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<Warehouse>, i64)> {
        let mut count = warehouses::table.count().into_boxed();
        let mut q = warehouses::table
            .select(Warehouse::as_select())
            .into_boxed();
        if let Some(a) = active {
            count = count.filter(warehouses::active.eq(a));
            q = q.filter(warehouses::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows = q
            .order((warehouses::priority, warehouses::name, warehouses::id))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((rows, total))
    }

    /// A warehouse by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Warehouse>> {
        Ok(warehouses::table
            .find(id)
            .select(Warehouse::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Replaces a warehouse's fields; re-derives stock of its products when `active`
    /// changes (stock counts active warehouses only). `None` when it does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        w: WarehouseWrite,
    ) -> DbResult<Option<Warehouse>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let before: Option<bool> = warehouses::table
                .find(id)
                .select(warehouses::active)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            let Some(was_active) = before else {
                return Ok(None);
            };
            let row: Warehouse = diesel::update(warehouses::table.find(id))
                .set((
                    warehouses::name.eq(&w.name),
                    warehouses::code.eq(&w.code),
                    warehouses::priority.eq(w.priority),
                    warehouses::active.eq(w.active),
                    warehouses::allow_negative_stock.eq(w.allow_negative_stock),
                    warehouses::updated_at.eq(Utc::now()),
                ))
                .returning(Warehouse::as_returning())
                .get_result(tx)
                .await?;
            if was_active != w.active {
                let pids: Vec<Uuid> = warehouse_stock::table
                    .filter(warehouse_stock::warehouse_id.eq(id))
                    .select(warehouse_stock::product_id)
                    .distinct()
                    .load(tx)
                    .await?;
                resync_stock(tx, &pids).await?;
            }
            Ok(Some(row))
        })
        .await
    }

    /// Deletes an empty, non-default warehouse.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> DbResult<Result<bool, WarehouseRefusal>> {
        if id == DEFAULT_WAREHOUSE {
            return Ok(Err(WarehouseRefusal::Default));
        }
        conn.transaction::<_, DbError, _>(async move |tx| {
            let exists: Option<Uuid> = warehouses::table
                .find(id)
                .select(warehouses::id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            if exists.is_none() {
                return Ok(Ok(false));
            }
            let held: Option<i64> = warehouse_stock::table
                .filter(warehouse_stock::warehouse_id.eq(id))
                .select(diesel::dsl::sum(warehouse_stock::quantity))
                .first(tx)
                .await?;
            let held = held.unwrap_or(0);
            if held != 0 {
                return Ok(Err(WarehouseRefusal::HoldsStock(held)));
            }
            diesel::delete(warehouses::table.find(id))
                .execute(tx)
                .await?;
            Ok(Ok(true))
        })
        .await
    }

    /// Stock rows of a warehouse, by product and variant SKU.
    pub async fn stock_of_warehouse(
        conn: &mut AsyncPgConnection,
        warehouse_id: Uuid,
        locale: &str,
    ) -> DbResult<Vec<StockEntry>> {
        Ok(diesel::sql_query(format!(
            "{STOCK_SELECT} WHERE ws.warehouse_id = $1 ORDER BY p.sku NULLS LAST, v.sku NULLS FIRST, ws.id"
        ))
        .bind::<diesel::sql_types::Uuid, _>(warehouse_id)
        .bind::<diesel::sql_types::Text, _>(locale)
        .load(conn)
        .await?)
    }

    /// Stock rows of a product across warehouses, by warehouse priority.
    pub async fn stock_of_product(
        conn: &mut AsyncPgConnection,
        product_id: Uuid,
        locale: &str,
    ) -> DbResult<Vec<StockEntry>> {
        Ok(diesel::sql_query(format!(
            "{STOCK_SELECT} WHERE ws.product_id = $1 ORDER BY w.priority, w.name, v.sku NULLS FIRST, ws.id"
        ))
        .bind::<diesel::sql_types::Uuid, _>(product_id)
        .bind::<diesel::sql_types::Text, _>(locale)
        .load(conn)
        .await?)
    }

    /// Removes a stock row of a warehouse (a movement takes the quantity out) and re-derives
    /// the product stock; `false` when the row is not in that warehouse.
    pub async fn remove_stock(
        conn: &mut AsyncPgConnection,
        warehouse_id: Uuid,
        stock_id: Uuid,
    ) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let row: Option<(Uuid, Option<Uuid>, i32)> = diesel::delete(
                warehouse_stock::table
                    .filter(warehouse_stock::id.eq(stock_id))
                    .filter(warehouse_stock::warehouse_id.eq(warehouse_id)),
            )
            .returning((
                warehouse_stock::product_id,
                warehouse_stock::variant_id,
                warehouse_stock::quantity,
            ))
            .get_result(tx)
            .await
            .optional()?;
            let Some((product_id, variant_id, quantity)) = row else {
                return Ok(false);
            };
            if quantity != 0 {
                diesel::insert_into(stock_movements::table)
                    .values((
                        stock_movements::id.eq(Uuid::now_v7()),
                        stock_movements::warehouse_id.eq(warehouse_id),
                        stock_movements::product_id.eq(product_id),
                        stock_movements::variant_id.eq(variant_id),
                        stock_movements::movement_type.eq("adjustment"),
                        stock_movements::quantity.eq(-quantity),
                        stock_movements::reference.eq("admin-remove"),
                    ))
                    .execute(tx)
                    .await?;
            }
            resync_stock(tx, &[product_id]).await?;
            Ok(true)
        })
        .await
    }
}

//! Catalog writes: every use case that spans rows is one function inside one transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog::{Product, ProductTranslation, PropertyOption, Variant};
use crate::error::{DbError, DbResult};
use crate::schema::{
    categories, category_translations, product_categories, product_media, product_tags,
    product_translations, product_variant_options, product_variants, products,
    property_group_translations, property_groups, property_option_translations, property_options,
    stock_movements, tax_rules, warehouse_stock, warehouses,
};

/// A tax rule.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tax_rules, check_for_backend(diesel::pg::Pg))]
pub struct TaxRule {
    pub id: Uuid,
    pub name: String,
    pub rate: i32,
    pub country_code: String,
    #[diesel(column_name = type_)]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TaxRule {
    /// Every rule, by name.
    pub async fn all(conn: &mut AsyncPgConnection) -> DbResult<Vec<Self>> {
        Ok(tax_rules::table
            .order((tax_rules::name, tax_rules::id))
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// A rule by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(tax_rules::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Creates a rule.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        name: &str,
        rate: i32,
        country: &str,
        kind: &str,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(tax_rules::table)
            .values((
                tax_rules::id.eq(Uuid::now_v7()),
                tax_rules::name.eq(name),
                tax_rules::rate.eq(rate),
                tax_rules::country_code.eq(country),
                tax_rules::type_.eq(kind),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }
}

/// Values of a product create or update (translations replace all when non-empty).
#[derive(Debug, Clone, Default)]
pub struct ProductWrite {
    pub sku: Option<Option<String>>,
    pub active: Option<bool>,
    pub price_net: Option<i32>,
    pub price_gross: Option<i32>,
    pub currency: Option<String>,
    pub tax_rule_id: Option<Option<Uuid>>,
    pub weight: Option<Option<i32>>,
    pub translations: Vec<ProductTranslation>,
    pub category_ids: Option<Vec<Uuid>>,
    pub tag_ids: Option<Vec<Uuid>>,
    /// Replaces the product's media when given; the order sets the positions 0..n-1.
    pub media_ids: Option<Vec<Uuid>>,
}

#[derive(AsChangeset)]
#[diesel(table_name = products)]
struct ProductChanges {
    sku: Option<Option<String>>,
    active: Option<bool>,
    price_net: Option<i32>,
    price_gross: Option<i32>,
    currency: Option<String>,
    tax_rule_id: Option<Option<Uuid>>,
    weight: Option<Option<i32>>,
    updated_at: DateTime<Utc>,
}

async fn replace_relations(tx: &mut AsyncPgConnection, id: Uuid, w: &ProductWrite) -> DbResult<()> {
    if !w.translations.is_empty() {
        diesel::delete(product_translations::table.filter(product_translations::product_id.eq(id)))
            .execute(tx)
            .await?;
        let rows: Vec<ProductTranslation> = w
            .translations
            .iter()
            .cloned()
            .map(|t| ProductTranslation {
                product_id: id,
                ..t
            })
            .collect();
        diesel::insert_into(product_translations::table)
            .values(&rows)
            .execute(tx)
            .await?;
    }
    if let Some(cats) = &w.category_ids {
        diesel::delete(product_categories::table.filter(product_categories::product_id.eq(id)))
            .execute(tx)
            .await?;
        let rows: Vec<_> = cats
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    product_categories::product_id.eq(id),
                    product_categories::category_id.eq(*c),
                    product_categories::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        diesel::insert_into(product_categories::table)
            .values(&rows)
            .execute(tx)
            .await?;
    }
    if let Some(tags) = &w.tag_ids {
        diesel::delete(product_tags::table.filter(product_tags::product_id.eq(id)))
            .execute(tx)
            .await?;
        let rows: Vec<_> = tags
            .iter()
            .map(|t| (product_tags::product_id.eq(id), product_tags::tag_id.eq(*t)))
            .collect();
        diesel::insert_into(product_tags::table)
            .values(&rows)
            .execute(tx)
            .await?;
    }
    if let Some(media) = &w.media_ids {
        diesel::delete(product_media::table.filter(product_media::product_id.eq(id)))
            .execute(tx)
            .await?;
        let mut seen = BTreeSet::new();
        let rows: Vec<_> = media
            .iter()
            .filter(|m| seen.insert(**m))
            .enumerate()
            .map(|(i, m)| {
                (
                    product_media::product_id.eq(id),
                    product_media::media_id.eq(*m),
                    product_media::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        diesel::insert_into(product_media::table)
            .values(&rows)
            .execute(tx)
            .await?;
    }
    Ok(())
}

impl Product {
    /// Creates a product with its translations, categories and tags.
    pub async fn create(conn: &mut AsyncPgConnection, w: ProductWrite) -> DbResult<Self> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let id = Uuid::now_v7();
            let p: Product = diesel::insert_into(products::table)
                .values((
                    products::id.eq(id),
                    products::sku.eq(w.sku.clone().flatten()),
                    products::active.eq(w.active.unwrap_or(false)),
                    products::price_net.eq(w.price_net.unwrap_or(0)),
                    products::price_gross.eq(w.price_gross.unwrap_or(0)),
                    products::currency.eq(w.currency.clone().unwrap_or_else(|| "EUR".into())),
                    products::tax_rule_id.eq(w.tax_rule_id.flatten()),
                    products::weight.eq(w.weight.flatten()),
                ))
                .returning(Product::as_returning())
                .get_result(tx)
                .await?;
            replace_relations(tx, id, &w).await?;
            Ok(p)
        })
        .await
    }

    /// Applies a partial update.
    pub async fn update(conn: &mut AsyncPgConnection, id: Uuid, w: ProductWrite) -> DbResult<Self> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let changes = ProductChanges {
                sku: w.sku.clone(),
                active: w.active,
                price_net: w.price_net,
                price_gross: w.price_gross,
                currency: w.currency.clone(),
                tax_rule_id: w.tax_rule_id,
                weight: w.weight,
                updated_at: Utc::now(),
            };
            let p: Product = diesel::update(products::table.find(id))
                .set(&changes)
                .returning(Product::as_returning())
                .get_result(tx)
                .await?;
            replace_relations(tx, id, &w).await?;
            Ok(p)
        })
        .await
    }

    /// Deletes a product (its variants, translations and stock go with it).
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(products::table.find(id))
            .execute(conn)
            .await?
            == 1)
    }
}

/// A property group with its options.
#[derive(Debug, Clone)]
pub struct PropertyGroupFull {
    pub id: Uuid,
    pub identifier: String,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub names: Vec<(String, String)>,
    pub options: Vec<(PropertyOption, Vec<(String, String)>)>,
}

/// Values of a new option.
#[derive(Debug, Clone)]
pub struct NewOption {
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    pub names: Vec<(String, String)>,
}

/// `(id, identifier, position, created_at, updated_at)` of a property group.
type GroupRow = (Uuid, String, i32, DateTime<Utc>, DateTime<Utc>);

/// Property groups (variant axes).
pub struct PropertyGroups;

impl PropertyGroups {
    /// Creates a group with its names and options.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        identifier: &str,
        position: i32,
        names: Vec<(String, String)>,
        options: Vec<NewOption>,
    ) -> DbResult<Uuid> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let id = Uuid::now_v7();
            diesel::insert_into(property_groups::table)
                .values((
                    property_groups::id.eq(id),
                    property_groups::identifier.eq(identifier),
                    property_groups::position.eq(position),
                ))
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
            for o in options {
                let oid = Uuid::now_v7();
                diesel::insert_into(property_options::table)
                    .values((
                        property_options::id.eq(oid),
                        property_options::group_id.eq(id),
                        property_options::code.eq(o.code.clone()),
                        property_options::color_hex.eq(o.color_hex.clone()),
                        property_options::position.eq(o.position),
                    ))
                    .execute(tx)
                    .await?;
                let rows: Vec<_> = o
                    .names
                    .iter()
                    .map(|(l, n)| {
                        (
                            property_option_translations::option_id.eq(oid),
                            property_option_translations::locale.eq(l.clone()),
                            property_option_translations::name.eq(n.clone()),
                        )
                    })
                    .collect();
                diesel::insert_into(property_option_translations::table)
                    .values(&rows)
                    .execute(tx)
                    .await?;
            }
            Ok(id)
        })
        .await
    }

    /// Every group (or one) with names and options, in three statements.
    pub async fn load(
        conn: &mut AsyncPgConnection,
        only: Option<Uuid>,
    ) -> DbResult<Vec<PropertyGroupFull>> {
        let mut q = property_groups::table.into_boxed();
        if let Some(id) = only {
            q = q.filter(property_groups::id.eq(id));
        }
        let groups: Vec<GroupRow> = q
            .order((property_groups::position, property_groups::identifier))
            .select((
                property_groups::id,
                property_groups::identifier,
                property_groups::position,
                property_groups::created_at,
                property_groups::updated_at,
            ))
            .load(conn)
            .await?;
        let ids: Vec<Uuid> = groups.iter().map(|g| g.0).collect();
        let names: Vec<(Uuid, String, String)> = property_group_translations::table
            .filter(property_group_translations::property_group_id.eq_any(&ids))
            .order(property_group_translations::locale)
            .select((
                property_group_translations::property_group_id,
                property_group_translations::locale,
                property_group_translations::name,
            ))
            .load(conn)
            .await?;
        let options: Vec<PropertyOption> = property_options::table
            .filter(property_options::group_id.eq_any(&ids))
            .order((property_options::position, property_options::id))
            .select(PropertyOption::as_select())
            .load(conn)
            .await?;
        let oids: Vec<Uuid> = options.iter().map(|o| o.id).collect();
        let onames: Vec<(Uuid, String, String)> = property_option_translations::table
            .filter(property_option_translations::option_id.eq_any(&oids))
            .order(property_option_translations::locale)
            .select((
                property_option_translations::option_id,
                property_option_translations::locale,
                property_option_translations::name,
            ))
            .load(conn)
            .await?;
        let mut onames_by: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
        for (o, l, n) in onames {
            onames_by.entry(o).or_default().push((l, n));
        }
        Ok(groups
            .into_iter()
            .map(
                |(id, identifier, position, created_at, updated_at)| PropertyGroupFull {
                    id,
                    identifier,
                    position,
                    created_at,
                    updated_at,
                    names: names
                        .iter()
                        .filter(|n| n.0 == id)
                        .map(|n| (n.1.clone(), n.2.clone()))
                        .collect(),
                    options: options
                        .iter()
                        .filter(|o| o.group_id == id)
                        .map(|o| (o.clone(), onames_by.remove(&o.id).unwrap_or_default()))
                        .collect(),
                },
            )
            .collect())
    }
}

/// Why variant generation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateError {
    /// An option id does not exist.
    UnknownOption(Uuid),
    /// Two lists name options of the same group, or one list mixes groups.
    MixedGroups,
}

impl Variant {
    /// Creates one variant per combination of the chosen options (cartesian product, in
    /// order), skipping combinations the product already has; SKUs are
    /// `<product sku>-<option codes>` when the product has a SKU. One transaction.
    pub async fn generate(
        conn: &mut AsyncPgConnection,
        product: &Product,
        groups: Vec<Vec<Uuid>>,
    ) -> DbResult<Result<Vec<Variant>, GenerateError>> {
        let product = product.clone();
        conn.transaction::<_, DbError, _>(async move |tx| {
            // Serialise generations for one product.
            products::table
                .find(product.id)
                .select(products::id)
                .for_update()
                .first::<Uuid>(tx)
                .await?;
            let all: Vec<Uuid> = groups.iter().flatten().copied().collect();
            let options: Vec<PropertyOption> = property_options::table
                .filter(property_options::id.eq_any(&all))
                .select(PropertyOption::as_select())
                .load(tx)
                .await?;
            let by_id: HashMap<Uuid, &PropertyOption> = options.iter().map(|o| (o.id, o)).collect();
            if let Some(missing) = all.iter().find(|id| !by_id.contains_key(id)) {
                return Ok(Err(GenerateError::UnknownOption(*missing)));
            }
            let mut seen_groups = BTreeSet::new();
            for list in &groups {
                let gs: BTreeSet<Uuid> = list
                    .iter()
                    .filter_map(|o| by_id.get(o))
                    .map(|o| o.group_id)
                    .collect();
                if gs.len() != 1 || !seen_groups.insert(gs.into_iter().next().unwrap_or_default()) {
                    return Ok(Err(GenerateError::MixedGroups));
                }
            }
            // Existing combinations.
            let existing: Vec<(Uuid, Uuid)> = product_variant_options::table
                .inner_join(product_variants::table)
                .filter(product_variants::product_id.eq(product.id))
                .select((
                    product_variant_options::variant_id,
                    product_variant_options::option_id,
                ))
                .load(tx)
                .await?;
            let mut combos: HashMap<Uuid, BTreeSet<Uuid>> = HashMap::new();
            for (v, o) in existing {
                combos.entry(v).or_default().insert(o);
            }
            let existing: Vec<BTreeSet<Uuid>> = combos.into_values().collect();
            let mut product_of: Vec<Vec<Uuid>> = vec![Vec::new()];
            for list in &groups {
                product_of = product_of
                    .into_iter()
                    .flat_map(|prefix| {
                        list.iter()
                            .map(move |o| [prefix.clone(), vec![*o]].concat())
                    })
                    .collect();
            }
            let mut made = Vec::new();
            for combo in product_of {
                let set: BTreeSet<Uuid> = combo.iter().copied().collect();
                if existing.contains(&set) {
                    continue;
                }
                let sku = product.sku.as_ref().map(|s| {
                    let codes: Vec<String> = combo
                        .iter()
                        .filter_map(|o| by_id.get(o))
                        .map(|o| {
                            if o.code.is_empty() {
                                o.id.simple().to_string()[..6].to_uppercase()
                            } else {
                                o.code.clone()
                            }
                        })
                        .collect();
                    format!("{s}-{}", codes.join("-"))
                });
                let v: Variant = diesel::insert_into(product_variants::table)
                    .values((
                        product_variants::id.eq(Uuid::now_v7()),
                        product_variants::product_id.eq(product.id),
                        product_variants::sku.eq(sku),
                    ))
                    .returning(Variant::as_returning())
                    .get_result(tx)
                    .await?;
                let rows: Vec<_> = combo
                    .iter()
                    .map(|o| {
                        (
                            product_variant_options::variant_id.eq(v.id),
                            product_variant_options::option_id.eq(*o),
                        )
                    })
                    .collect();
                diesel::insert_into(product_variant_options::table)
                    .values(&rows)
                    .execute(tx)
                    .await?;
                made.push(v);
            }
            Ok(Ok(made))
        })
        .await
    }
}

/// One line of a stock update.
#[derive(Debug, Clone)]
pub struct StockLine {
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub reference: String,
}

/// A warehouse stock row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = warehouse_stock, check_for_backend(diesel::pg::Pg))]
pub struct WarehouseStock {
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A warehouse.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = warehouses, check_for_backend(diesel::pg::Pg))]
pub struct Warehouse {
    pub id: Uuid,
    pub name: String,
    pub code: String,
    pub active: bool,
    pub priority: i32,
    pub allow_negative_stock: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Warehouse {
    /// Every warehouse by priority.
    pub async fn all(conn: &mut AsyncPgConnection) -> DbResult<Vec<Self>> {
        Ok(warehouses::table
            .order((warehouses::priority, warehouses::name))
            .select(Self::as_select())
            .load(conn)
            .await?)
    }

    /// Creates a warehouse.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        name: &str,
        code: &str,
        priority: i32,
        active: bool,
    ) -> DbResult<Self> {
        Ok(diesel::insert_into(warehouses::table)
            .values((
                warehouses::id.eq(Uuid::now_v7()),
                warehouses::name.eq(name),
                warehouses::code.eq(code),
                warehouses::priority.eq(priority),
                warehouses::active.eq(active),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Sets absolute quantities in a warehouse, writing a movement with each delta and
    /// re-deriving the product and variant stock (sum over active warehouses), in one
    /// transaction with rows locked in a fixed order.
    pub async fn set_stock(
        conn: &mut AsyncPgConnection,
        warehouse_id: Uuid,
        mut lines: Vec<StockLine>,
    ) -> DbResult<Vec<WarehouseStock>> {
        lines.sort_by_key(|l| (l.product_id, l.variant_id));
        conn.transaction::<_, DbError, _>(async move |tx| {
            let mut out = Vec::new();
            for l in &lines {
                let q = warehouse_stock::table
                    .filter(warehouse_stock::warehouse_id.eq(warehouse_id))
                    .filter(warehouse_stock::product_id.eq(l.product_id))
                    .select(WarehouseStock::as_select())
                    .for_update();
                let current: Option<WarehouseStock> = match l.variant_id {
                    Some(v) => q
                        .filter(warehouse_stock::variant_id.eq(v))
                        .first(tx)
                        .await
                        .optional()?,
                    None => q
                        .filter(warehouse_stock::variant_id.is_null())
                        .first(tx)
                        .await
                        .optional()?,
                };
                let before = current.as_ref().map_or(0, |c| c.quantity);
                let row: WarehouseStock = match current {
                    Some(c) => {
                        diesel::update(warehouse_stock::table.find(c.id))
                            .set((
                                warehouse_stock::quantity.eq(l.quantity),
                                warehouse_stock::updated_at.eq(Utc::now()),
                            ))
                            .returning(WarehouseStock::as_returning())
                            .get_result(tx)
                            .await?
                    }
                    None => {
                        diesel::insert_into(warehouse_stock::table)
                            .values((
                                warehouse_stock::id.eq(Uuid::now_v7()),
                                warehouse_stock::warehouse_id.eq(warehouse_id),
                                warehouse_stock::product_id.eq(l.product_id),
                                warehouse_stock::variant_id.eq(l.variant_id),
                                warehouse_stock::quantity.eq(l.quantity),
                            ))
                            .returning(WarehouseStock::as_returning())
                            .get_result(tx)
                            .await?
                    }
                };
                if l.quantity != before {
                    diesel::insert_into(stock_movements::table)
                        .values((
                            stock_movements::id.eq(Uuid::now_v7()),
                            stock_movements::warehouse_id.eq(warehouse_id),
                            stock_movements::product_id.eq(l.product_id),
                            stock_movements::variant_id.eq(l.variant_id),
                            stock_movements::movement_type.eq("adjustment"),
                            stock_movements::quantity.eq(l.quantity - before),
                            stock_movements::reference.eq(l.reference.clone()),
                        ))
                        .execute(tx)
                        .await?;
                }
                out.push(row);
            }
            let pids: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
            resync_stock(tx, &pids).await?;
            Ok(out)
        })
        .await
    }
}

/// A derived stock total that [`resync_stock`] changed.
#[derive(Debug, Clone, QueryableByName)]
struct ChangedTotal {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    product_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    variant_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    stock: i32,
}

/// Re-derives `products.stock` and `product_variants.stock` from active warehouses and
/// records one `stock.changed` event (payload `{product_id, variant_id, stock}`, the product
/// total with `variant_id` null) per total that changed, in the caller's transaction.
pub async fn resync_stock(conn: &mut AsyncPgConnection, product_ids: &[Uuid]) -> DbResult<()> {
    let mut changed: Vec<ChangedTotal> = diesel::sql_query(
        "WITH n AS (
           SELECT v.id, COALESCE((SELECT SUM(ws.quantity) FROM warehouse_stock ws
                    JOIN warehouses w ON w.id = ws.warehouse_id
                   WHERE w.active AND ws.variant_id = v.id), 0)::int4 AS stock
             FROM product_variants v WHERE v.product_id = ANY($1))
         UPDATE product_variants v SET stock = n.stock FROM n
          WHERE v.id = n.id AND v.stock <> n.stock
         RETURNING v.product_id, v.id AS variant_id, v.stock",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(product_ids)
    .load(conn)
    .await?;
    let products: Vec<ChangedTotal> = diesel::sql_query(
        "WITH n AS (
           SELECT p.id, COALESCE((SELECT SUM(ws.quantity) FROM warehouse_stock ws
                    JOIN warehouses w ON w.id = ws.warehouse_id
                   WHERE w.active AND ws.product_id = p.id), 0)::int4 AS stock
             FROM products p WHERE p.id = ANY($1))
         UPDATE products p SET stock = n.stock FROM n
          WHERE p.id = n.id AND p.stock <> n.stock
         RETURNING p.id AS product_id, NULL::uuid AS variant_id, p.stock",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Uuid>, _>(product_ids)
    .load(conn)
    .await?;
    changed.extend(products);
    changed.sort_by_key(|c| (c.product_id, c.variant_id));
    let events = changed
        .into_iter()
        .map(|c| {
            (
                "stock.changed",
                Some(c.product_id),
                None,
                serde_json::json!({
                    "product_id": c.product_id,
                    "variant_id": c.variant_id,
                    "stock": c.stock,
                }),
            )
        })
        .collect();
    super::orders::DomainEvent::record_many(conn, events).await?;
    Ok(())
}

/// Categories.
pub struct Categories;

impl Categories {
    /// Creates a category with its translations.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        w: super::catalog_manage::CategoryWrite,
    ) -> DbResult<Uuid> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let id = Uuid::now_v7();
            diesel::insert_into(categories::table)
                .values((
                    categories::id.eq(id),
                    categories::parent_id.eq(w.parent_id),
                    categories::position.eq(w.position),
                    categories::active.eq(w.active),
                    categories::custom_fields.eq(&w.custom_fields),
                ))
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
            Ok(id)
        })
        .await
    }
}

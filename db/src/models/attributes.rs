//! Product attributes: typed classification values (text, number, select, multi_select,
//! boolean) on products and variants, their definitions, options and translations. Reads
//! are batched (one statement per relation for any number of owners); every write that
//! spans rows is one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Double, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::{DbError, DbResult};
use crate::schema::{
    attribute_option_translations, attribute_options, attribute_translations, attributes,
    product_variants, products,
};

/// The attribute types.
pub const TYPES: [&str; 5] = ["text", "number", "select", "multi_select", "boolean"];

/// An attribute definition.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attributes, check_for_backend(diesel::pg::Pg))]
pub struct Attribute {
    pub id: Uuid,
    pub identifier: String,
    #[diesel(column_name = type_)]
    pub kind: String,
    pub unit: Option<String>,
    pub position: i32,
    pub filterable: bool,
    pub required: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One locale's name and description of an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeText {
    pub locale: String,
    pub name: String,
    pub description: String,
}

/// An option of a select or multi_select attribute.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attribute_options, check_for_backend(diesel::pg::Pg))]
pub struct AttributeOption {
    pub id: Uuid,
    pub attribute_id: Uuid,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An option with its names `(locale, name)`.
#[derive(Debug, Clone)]
pub struct OptionFull {
    pub option: AttributeOption,
    pub names: Vec<(String, String)>,
}

/// An attribute with its texts and options.
#[derive(Debug, Clone)]
pub struct AttributeFull {
    pub attribute: Attribute,
    pub texts: Vec<AttributeText>,
    pub options: Vec<OptionFull>,
}

/// The writable fields of an attribute (a full replace on update).
#[derive(Debug, Clone)]
pub struct AttributeWrite {
    pub identifier: String,
    pub kind: String,
    pub unit: Option<String>,
    pub position: i32,
    pub filterable: bool,
    pub required: bool,
    pub texts: Vec<AttributeText>,
}

/// Why an attribute update was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeRefusal {
    /// The type would change while products or variants hold values of the attribute.
    TypeInUse,
}

/// Why an option delete was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionRefusal {
    /// A product or variant value uses the option.
    InUse,
}

/// A typed value to store (checked against the attribute by the caller).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Boolean(bool),
    Select(Uuid),
    MultiSelect(Vec<Uuid>),
}

/// One value to set.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueWrite {
    pub attribute_id: Uuid,
    pub value: Value,
}

/// A stored value with its attribute, texts and option(s), as read for an owner.
#[derive(Debug, Clone)]
pub struct ValueFull {
    /// The product or variant.
    pub owner_id: Uuid,
    pub attribute: Attribute,
    pub texts: Vec<AttributeText>,
    pub value_text: Option<String>,
    pub value_numeric: Option<f64>,
    pub value_boolean: Option<bool>,
    /// The option of a select value.
    pub option: Option<OptionFull>,
    /// The options of a multi_select value, by position.
    pub options: Vec<OptionFull>,
}

/// Who holds values: a product or a variant. The table names come from here only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Product,
    Variant,
}

impl Owner {
    fn values(self) -> &'static str {
        match self {
            Self::Product => "product_attribute_values",
            Self::Variant => "variant_attribute_values",
        }
    }

    fn value_options(self) -> &'static str {
        match self {
            Self::Product => "product_attribute_value_options",
            Self::Variant => "variant_attribute_value_options",
        }
    }

    fn column(self) -> &'static str {
        match self {
            Self::Product => "product_id",
            Self::Variant => "variant_id",
        }
    }
}

#[derive(QueryableByName)]
struct ValueRow {
    #[diesel(sql_type = SqlUuid)]
    value_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    owner_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    attribute_id: Uuid,
    #[diesel(sql_type = Text)]
    identifier: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    unit: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    position: i32,
    #[diesel(sql_type = Bool)]
    filterable: bool,
    #[diesel(sql_type = Bool)]
    required: bool,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    value_text: Option<String>,
    #[diesel(sql_type = Nullable<Double>)]
    value_numeric: Option<f64>,
    #[diesel(sql_type = Nullable<Bool>)]
    value_boolean: Option<bool>,
}

#[derive(QueryableByName)]
struct ValueOptionRow {
    #[diesel(sql_type = SqlUuid)]
    value_id: Uuid,
    #[diesel(sql_type = Bool)]
    single: bool,
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    attribute_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    position: i32,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    updated_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// Attribute maintenance and the values of products and variants.
pub struct Attributes;

impl Attributes {
    /// Every attribute (or one) by position, with texts and options with names, in four
    /// statements.
    pub async fn load(
        conn: &mut AsyncPgConnection,
        only: Option<Uuid>,
    ) -> DbResult<Vec<AttributeFull>> {
        let mut q = attributes::table
            .select(Attribute::as_select())
            .into_boxed();
        if let Some(id) = only {
            q = q.filter(attributes::id.eq(id));
        }
        let rows: Vec<Attribute> = q
            .order((attributes::position, attributes::identifier))
            .load(conn)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
        let mut texts = texts_of(conn, &ids).await?;
        let options: Vec<AttributeOption> = attribute_options::table
            .filter(attribute_options::attribute_id.eq_any(&ids))
            .order((attribute_options::position, attribute_options::id))
            .select(AttributeOption::as_select())
            .load(conn)
            .await?;
        let oids: Vec<Uuid> = options.iter().map(|o| o.id).collect();
        let mut names = option_names(conn, &oids).await?;
        let mut by_attr: HashMap<Uuid, Vec<OptionFull>> = HashMap::new();
        for o in options {
            let n = names.remove(&o.id).unwrap_or_default();
            by_attr.entry(o.attribute_id).or_default().push(OptionFull {
                option: o,
                names: n,
            });
        }
        Ok(rows
            .into_iter()
            .map(|a| AttributeFull {
                texts: texts.remove(&a.id).unwrap_or_default(),
                options: by_attr.remove(&a.id).unwrap_or_default(),
                attribute: a,
            })
            .collect())
    }

    /// Definitions and option ids of the given attributes (for checking values), in two
    /// statements.
    pub async fn definitions(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, (Attribute, Vec<Uuid>)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<Attribute> = attributes::table
            .filter(attributes::id.eq_any(ids))
            .select(Attribute::as_select())
            .load(conn)
            .await?;
        let opts: Vec<(Uuid, Uuid)> = attribute_options::table
            .filter(attribute_options::attribute_id.eq_any(ids))
            .select((attribute_options::attribute_id, attribute_options::id))
            .load(conn)
            .await?;
        let mut out: HashMap<Uuid, (Attribute, Vec<Uuid>)> =
            rows.into_iter().map(|a| (a.id, (a, Vec::new()))).collect();
        for (a, o) in opts {
            if let Some(e) = out.get_mut(&a) {
                e.1.push(o);
            }
        }
        Ok(out)
    }

    /// Creates an attribute with its texts (a taken identifier is a conflict).
    pub async fn create(conn: &mut AsyncPgConnection, w: AttributeWrite) -> DbResult<Uuid> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let id = Uuid::now_v7();
            diesel::insert_into(attributes::table)
                .values((
                    attributes::id.eq(id),
                    attributes::identifier.eq(&w.identifier),
                    attributes::type_.eq(&w.kind),
                    attributes::unit.eq(&w.unit),
                    attributes::position.eq(w.position),
                    attributes::filterable.eq(w.filterable),
                    attributes::required.eq(w.required),
                ))
                .execute(tx)
                .await?;
            insert_texts(tx, id, &w.texts).await?;
            Ok(id)
        })
        .await
    }

    /// Replaces every field and text of an attribute. `Ok(None)` when it does not exist;
    /// the type cannot change while values of the attribute exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        w: AttributeWrite,
    ) -> DbResult<Result<Option<()>, AttributeRefusal>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let current: Option<String> = attributes::table
                .find(id)
                .select(attributes::type_)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            let Some(current) = current else {
                return Ok(Ok(None));
            };
            if current != w.kind {
                let used: Found = diesel::sql_query(
                    "SELECT EXISTS (SELECT 1 FROM product_attribute_values WHERE attribute_id = $1)
                         OR EXISTS (SELECT 1 FROM variant_attribute_values WHERE attribute_id = $1) AS found",
                )
                .bind::<SqlUuid, _>(id)
                .get_result(tx)
                .await?;
                if used.found {
                    return Ok(Err(AttributeRefusal::TypeInUse));
                }
            }
            diesel::update(attributes::table.find(id))
                .set((
                    attributes::identifier.eq(&w.identifier),
                    attributes::type_.eq(&w.kind),
                    attributes::unit.eq(&w.unit),
                    attributes::position.eq(w.position),
                    attributes::filterable.eq(w.filterable),
                    attributes::required.eq(w.required),
                    attributes::updated_at.eq(Utc::now()),
                ))
                .execute(tx)
                .await?;
            diesel::delete(
                attribute_translations::table.filter(attribute_translations::attribute_id.eq(id)),
            )
            .execute(tx)
            .await?;
            insert_texts(tx, id, &w.texts).await?;
            Ok(Ok(Some(())))
        })
        .await
    }

    /// Deletes an attribute; its options and every product and variant value go with it.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(attributes::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }

    /// Creates (`option_id` `None`) or replaces an option of an attribute. `Ok(None)` when
    /// the attribute (or the option within it) does not exist.
    pub async fn save_option(
        conn: &mut AsyncPgConnection,
        attribute_id: Uuid,
        option_id: Option<Uuid>,
        position: i32,
        names: Vec<(String, String)>,
    ) -> DbResult<Option<OptionFull>> {
        let mut names = names;
        names.sort();
        conn.transaction::<_, DbError, _>(async move |tx| {
            let exists: Option<Uuid> = attributes::table
                .find(attribute_id)
                .select(attributes::id)
                .first(tx)
                .await
                .optional()?;
            if exists.is_none() {
                return Ok(None);
            }
            let id = match option_id {
                Some(oid) => {
                    let n = diesel::update(
                        attribute_options::table
                            .filter(attribute_options::id.eq(oid))
                            .filter(attribute_options::attribute_id.eq(attribute_id)),
                    )
                    .set((
                        attribute_options::position.eq(position),
                        attribute_options::updated_at.eq(Utc::now()),
                    ))
                    .execute(tx)
                    .await?;
                    if n == 0 {
                        return Ok(None);
                    }
                    diesel::delete(
                        attribute_option_translations::table
                            .filter(attribute_option_translations::option_id.eq(oid)),
                    )
                    .execute(tx)
                    .await?;
                    oid
                }
                None => {
                    let oid = Uuid::now_v7();
                    diesel::insert_into(attribute_options::table)
                        .values((
                            attribute_options::id.eq(oid),
                            attribute_options::attribute_id.eq(attribute_id),
                            attribute_options::position.eq(position),
                        ))
                        .execute(tx)
                        .await?;
                    oid
                }
            };
            let rows: Vec<_> = names
                .iter()
                .map(|(l, n)| {
                    (
                        attribute_option_translations::option_id.eq(id),
                        attribute_option_translations::locale.eq(l.clone()),
                        attribute_option_translations::name.eq(n.clone()),
                    )
                })
                .collect();
            diesel::insert_into(attribute_option_translations::table)
                .values(&rows)
                .execute(tx)
                .await?;
            let option: AttributeOption = attribute_options::table
                .find(id)
                .select(AttributeOption::as_select())
                .first(tx)
                .await?;
            Ok(Some(OptionFull { option, names }))
        })
        .await
    }

    /// Deletes an option of an attribute; refused while a product or variant value uses it.
    pub async fn delete_option(
        conn: &mut AsyncPgConnection,
        attribute_id: Uuid,
        option_id: Uuid,
    ) -> DbResult<Result<bool, OptionRefusal>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let found: Option<Uuid> = attribute_options::table
                .filter(attribute_options::id.eq(option_id))
                .filter(attribute_options::attribute_id.eq(attribute_id))
                .select(attribute_options::id)
                .for_update()
                .first(tx)
                .await
                .optional()?;
            if found.is_none() {
                return Ok(Ok(false));
            }
            let used: Found = diesel::sql_query(
                "SELECT EXISTS (SELECT 1 FROM product_attribute_values WHERE option_id = $1)
                     OR EXISTS (SELECT 1 FROM product_attribute_value_options WHERE option_id = $1)
                     OR EXISTS (SELECT 1 FROM variant_attribute_values WHERE option_id = $1)
                     OR EXISTS (SELECT 1 FROM variant_attribute_value_options WHERE option_id = $1) AS found",
            )
            .bind::<SqlUuid, _>(option_id)
            .get_result(tx)
            .await?;
            if used.found {
                return Ok(Err(OptionRefusal::InUse));
            }
            diesel::delete(attribute_options::table.find(option_id))
                .execute(tx)
                .await?;
            Ok(Ok(true))
        })
        .await
    }

    /// Sets values on a product (`owner_id` a product id) or a variant (`owner_id` a
    /// variant id, which must belong to `product_id`): an upsert per attribute, in one
    /// transaction; a multi_select value's option set is replaced. `false` when the owner
    /// does not exist.
    pub async fn set_values(
        conn: &mut AsyncPgConnection,
        owner: Owner,
        product_id: Uuid,
        owner_id: Uuid,
        values: Vec<ValueWrite>,
    ) -> DbResult<bool> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            if !owner_exists(tx, owner, product_id, owner_id).await? {
                return Ok(false);
            }
            let upsert = format!(
                "INSERT INTO {t} (id, {c}, attribute_id, value_text, value_numeric, value_boolean, option_id)
                 VALUES ($1, $2, $3, $4, $5::float8::numeric, $6, $7)
                 ON CONFLICT ({c}, attribute_id) DO UPDATE SET
                   value_text = EXCLUDED.value_text, value_numeric = EXCLUDED.value_numeric,
                   value_boolean = EXCLUDED.value_boolean, option_id = EXCLUDED.option_id,
                   updated_at = NOW()
                 RETURNING id AS found_id",
                t = owner.values(),
                c = owner.column(),
            );
            let clear = format!("DELETE FROM {} WHERE value_id = $1", owner.value_options());
            let link = format!(
                "INSERT INTO {} (value_id, option_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING",
                owner.value_options()
            );
            for v in values {
                let (text, number, boolean, option, many) = match v.value {
                    Value::Text(s) => (Some(s), None, None, None, Vec::new()),
                    Value::Number(n) => (None, Some(n), None, None, Vec::new()),
                    Value::Boolean(b) => (None, None, Some(b), None, Vec::new()),
                    Value::Select(o) => (None, None, None, Some(o), Vec::new()),
                    Value::MultiSelect(os) => (None, None, None, None, os),
                };
                let row: IdRow = diesel::sql_query(&upsert)
                    .bind::<SqlUuid, _>(Uuid::now_v7())
                    .bind::<SqlUuid, _>(owner_id)
                    .bind::<SqlUuid, _>(v.attribute_id)
                    .bind::<Nullable<Text>, _>(text)
                    .bind::<Nullable<Double>, _>(number)
                    .bind::<Nullable<Bool>, _>(boolean)
                    .bind::<Nullable<SqlUuid>, _>(option)
                    .get_result(tx)
                    .await?;
                diesel::sql_query(&clear)
                    .bind::<SqlUuid, _>(row.found_id)
                    .execute(tx)
                    .await?;
                if !many.is_empty() {
                    diesel::sql_query(&link)
                        .bind::<SqlUuid, _>(row.found_id)
                        .bind::<Array<SqlUuid>, _>(many)
                        .execute(tx)
                        .await?;
                }
            }
            Ok(true)
        })
        .await
    }

    /// Deletes one value of a product or variant. `None` when the owner does not exist,
    /// `Some(false)` when it holds no value of the attribute.
    pub async fn delete_value(
        conn: &mut AsyncPgConnection,
        owner: Owner,
        product_id: Uuid,
        owner_id: Uuid,
        attribute_id: Uuid,
    ) -> DbResult<Option<bool>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            if !owner_exists(tx, owner, product_id, owner_id).await? {
                return Ok(None);
            }
            let n = diesel::sql_query(format!(
                "DELETE FROM {} WHERE {} = $1 AND attribute_id = $2",
                owner.values(),
                owner.column()
            ))
            .bind::<SqlUuid, _>(owner_id)
            .bind::<SqlUuid, _>(attribute_id)
            .execute(tx)
            .await?;
            Ok(Some(n > 0))
        })
        .await
    }

    /// The values of many products or variants, with their attributes, texts and options,
    /// by attribute position: at most four statements, whatever the number of owners.
    pub async fn values_of(
        conn: &mut AsyncPgConnection,
        owner: Owner,
        owner_ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<ValueFull>>> {
        if owner_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<ValueRow> = diesel::sql_query(format!(
            "SELECT v.id AS value_id, v.{c} AS owner_id, a.id AS attribute_id, a.identifier,
                    a.type AS kind, a.unit, a.position, a.filterable, a.required, a.created_at,
                    a.updated_at, v.value_text, v.value_numeric::float8 AS value_numeric,
                    v.value_boolean
             FROM {t} v JOIN attributes a ON a.id = v.attribute_id
             WHERE v.{c} = ANY($1)
             ORDER BY v.{c}, a.position, a.identifier",
            t = owner.values(),
            c = owner.column()
        ))
        .bind::<Array<SqlUuid>, _>(owner_ids.to_vec())
        .load(conn)
        .await?;
        if rows.is_empty() {
            return Ok(HashMap::new());
        }
        let value_ids: Vec<Uuid> = rows.iter().map(|r| r.value_id).collect();
        // The option of select values and the options of multi_select values, together.
        let linked: Vec<ValueOptionRow> = diesel::sql_query(format!(
            "SELECT vo.value_id, FALSE AS single, o.id, o.attribute_id, o.position, o.created_at, o.updated_at
             FROM {vo} vo JOIN attribute_options o ON o.id = vo.option_id
             WHERE vo.value_id = ANY($1)
             UNION ALL
             SELECT v.id, TRUE, o.id, o.attribute_id, o.position, o.created_at, o.updated_at
             FROM {t} v JOIN attribute_options o ON o.id = v.option_id
             WHERE v.id = ANY($1)
             ORDER BY position, id",
            vo = owner.value_options(),
            t = owner.values(),
        ))
        .bind::<Array<SqlUuid>, _>(value_ids)
        .load(conn)
        .await?;
        let mut attr_ids: Vec<Uuid> = rows.iter().map(|r| r.attribute_id).collect();
        attr_ids.sort_unstable();
        attr_ids.dedup();
        let texts = texts_of(conn, &attr_ids).await?;
        let mut oids: Vec<Uuid> = linked.iter().map(|l| l.id).collect();
        oids.sort_unstable();
        oids.dedup();
        let names = option_names(conn, &oids).await?;
        let mut single_by: HashMap<Uuid, OptionFull> = HashMap::new();
        let mut linked_by: HashMap<Uuid, Vec<OptionFull>> = HashMap::new();
        for l in linked {
            let o = OptionFull {
                names: names.get(&l.id).cloned().unwrap_or_default(),
                option: AttributeOption {
                    id: l.id,
                    attribute_id: l.attribute_id,
                    position: l.position,
                    created_at: l.created_at,
                    updated_at: l.updated_at,
                },
            };
            if l.single {
                single_by.insert(l.value_id, o);
            } else {
                linked_by.entry(l.value_id).or_default().push(o);
            }
        }
        let mut out: HashMap<Uuid, Vec<ValueFull>> = HashMap::new();
        for r in rows {
            let v = ValueFull {
                owner_id: r.owner_id,
                texts: texts.get(&r.attribute_id).cloned().unwrap_or_default(),
                attribute: Attribute {
                    id: r.attribute_id,
                    identifier: r.identifier,
                    kind: r.kind,
                    unit: r.unit,
                    position: r.position,
                    filterable: r.filterable,
                    required: r.required,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                },
                value_text: r.value_text,
                value_numeric: r.value_numeric,
                value_boolean: r.value_boolean,
                option: single_by.remove(&r.value_id),
                options: linked_by.remove(&r.value_id).unwrap_or_default(),
            };
            out.entry(v.owner_id).or_default().push(v);
        }
        Ok(out)
    }

    /// True when the product exists (`Owner::Product`, `owner_id` = `product_id`) or the
    /// variant exists and belongs to the product (`Owner::Variant`).
    pub async fn owner_exists(
        conn: &mut AsyncPgConnection,
        owner: Owner,
        product_id: Uuid,
        owner_id: Uuid,
    ) -> DbResult<bool> {
        owner_exists(conn, owner, product_id, owner_id).await
    }

    /// Values of products, by product id (for DataLoaders).
    pub async fn values_of_products(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<ValueFull>>> {
        Self::values_of(conn, Owner::Product, ids).await
    }

    /// Values of variants, by variant id (for DataLoaders).
    pub async fn values_of_variants(
        conn: &mut AsyncPgConnection,
        ids: &[Uuid],
    ) -> DbResult<HashMap<Uuid, Vec<ValueFull>>> {
        Self::values_of(conn, Owner::Variant, ids).await
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    found_id: Uuid,
}

async fn owner_exists(
    conn: &mut AsyncPgConnection,
    owner: Owner,
    product_id: Uuid,
    owner_id: Uuid,
) -> DbResult<bool> {
    Ok(match owner {
        Owner::Product => products::table
            .find(product_id)
            .select(products::id)
            .for_share()
            .first::<Uuid>(conn)
            .await
            .optional()?
            .is_some(),
        Owner::Variant => product_variants::table
            .filter(product_variants::id.eq(owner_id))
            .filter(product_variants::product_id.eq(product_id))
            .select(product_variants::id)
            .for_share()
            .first::<Uuid>(conn)
            .await
            .optional()?
            .is_some(),
    })
}

async fn insert_texts(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    texts: &[AttributeText],
) -> DbResult<()> {
    let rows: Vec<_> = texts
        .iter()
        .map(|t| {
            (
                attribute_translations::attribute_id.eq(id),
                attribute_translations::locale.eq(t.locale.clone()),
                attribute_translations::name.eq(t.name.clone()),
                attribute_translations::description.eq(t.description.clone()),
            )
        })
        .collect();
    diesel::insert_into(attribute_translations::table)
        .values(&rows)
        .execute(conn)
        .await?;
    Ok(())
}

async fn texts_of(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> DbResult<HashMap<Uuid, Vec<AttributeText>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String, String, String)> = attribute_translations::table
        .filter(attribute_translations::attribute_id.eq_any(ids))
        .order((
            attribute_translations::attribute_id,
            attribute_translations::locale,
        ))
        .select((
            attribute_translations::attribute_id,
            attribute_translations::locale,
            attribute_translations::name,
            attribute_translations::description,
        ))
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<AttributeText>> = HashMap::new();
    for (a, locale, name, description) in rows {
        out.entry(a).or_default().push(AttributeText {
            locale,
            name,
            description,
        });
    }
    Ok(out)
}

async fn option_names(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> DbResult<HashMap<Uuid, Vec<(String, String)>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String, String)> = attribute_option_translations::table
        .filter(attribute_option_translations::option_id.eq_any(ids))
        .order((
            attribute_option_translations::option_id,
            attribute_option_translations::locale,
        ))
        .select((
            attribute_option_translations::option_id,
            attribute_option_translations::locale,
            attribute_option_translations::name,
        ))
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<(String, String)>> = HashMap::new();
    for (o, l, n) in rows {
        out.entry(o).or_default().push((l, n));
    }
    Ok(out)
}

//! Product attributes: typed classification values (brand, material, weight, …) on products
//! and variants. Definitions with options and translations, and the values, type-checked
//! against their attribute (the reference stores whatever it is sent). Every field is
//! guarded by its permission and every change writes an audit entry; product and variant
//! `attributes` fields read through the request's DataLoader.

use std::collections::HashSet;

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::attributes::{
    AttributeFull, AttributeRefusal, AttributeText, AttributeWrite, Attributes, OptionFull,
    OptionRefusal, Owner, TYPES, Value, ValueFull, ValueWrite,
};
use stoa_db::models::catalog::{Product, batch};
use uuid::Uuid;

use super::admin::{NameInput, check_identifier, conn, db_err, names, pick};
use super::manage::not_found;
use super::query::resolve_locale;
use super::types::{Locale, NameTranslationNode, ProductNode, VariantNode};
use crate::audit;
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;

/// A `number` value, rounded to 4 decimals, must stay below this many ten-thousandths in
/// magnitude (the column is `NUMERIC(15, 4)`: 11 digits before the point).
const MAX_TEN_THOUSANDTHS: f64 = 1e15;

// --- output types ---------------------------------------------------------------------

/// One locale's name and description of an attribute.
#[derive(SimpleObject, Clone)]
#[graphql(name = "AttributeTranslation")]
pub struct AttributeTranslationNode {
    pub locale: String,
    pub name: String,
    /// Null when there is none.
    pub description: Option<String>,
}

/// An option of a select or multi_select attribute (e.g. Leather for Material).
#[derive(SimpleObject, Clone)]
#[graphql(name = "AttributeOption")]
pub struct AttributeOptionNode {
    pub id: Uuid,
    pub attribute_id: Uuid,
    pub position: i32,
    /// The name in the request's locale.
    pub name: String,
    pub translations: Vec<NameTranslationNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An attribute definition (a typed classification such as Brand, Material or Weight).
#[derive(SimpleObject)]
#[graphql(name = "Attribute")]
pub struct AttributeNode {
    pub id: Uuid,
    /// Lower case letters, digits, `-` and `_`; unique.
    pub identifier: String,
    /// text, number, select, multi_select or boolean.
    #[graphql(name = "type")]
    pub kind: String,
    /// Unit of number values (`g`, `cm`, …).
    pub unit: Option<String>,
    pub position: i32,
    /// Offered as a search facet.
    pub filterable: bool,
    pub required: bool,
    /// The name in the request's locale.
    pub name: String,
    /// The description in the request's locale (empty when none).
    pub description: String,
    pub translations: Vec<AttributeTranslationNode>,
    /// Options (select and multi_select attributes), by position.
    pub options: Vec<AttributeOptionNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A product's or variant's value of an attribute, with the attribute's texts.
#[derive(SimpleObject)]
#[graphql(name = "AttributeValue")]
pub struct AttributeValueNode {
    pub attribute_id: Uuid,
    pub attribute_identifier: String,
    /// text, number, select, multi_select or boolean.
    #[graphql(name = "type")]
    pub kind: String,
    pub unit: Option<String>,
    /// The attribute's name in the request's locale.
    pub name: String,
    /// The attribute's description in the request's locale (empty when none).
    pub description: String,
    /// The attribute's names and descriptions in every locale.
    pub translations: Vec<AttributeTranslationNode>,
    /// The value of a text attribute.
    pub value_text: Option<String>,
    /// The value of a number attribute.
    pub value_numeric: Option<f64>,
    /// The value of a boolean attribute.
    pub value_boolean: Option<bool>,
    /// The chosen option of a select attribute.
    pub option_id: Option<Uuid>,
    /// The chosen options of a multi_select attribute, by position.
    pub option_ids: Vec<Uuid>,
    /// The chosen option of a select attribute, with its names.
    pub option: Option<AttributeOptionNode>,
    /// The chosen options of a multi_select attribute, with their names.
    pub options: Vec<AttributeOptionNode>,
}

fn texts(ts: &[AttributeText]) -> Vec<AttributeTranslationNode> {
    ts.iter()
        .map(|t| AttributeTranslationNode {
            locale: t.locale.clone(),
            name: t.name.clone(),
            description: Some(t.description.clone()).filter(|d| !d.is_empty()),
        })
        .collect()
}

fn picked<'a>(locale: &Locale, ts: &'a [AttributeText]) -> Option<&'a AttributeText> {
    locale.pick(ts, |t| &t.locale)
}

fn option_node(o: OptionFull, locale: &Locale) -> AttributeOptionNode {
    AttributeOptionNode {
        id: o.option.id,
        attribute_id: o.option.attribute_id,
        position: o.option.position,
        name: pick(locale, &o.names),
        translations: names(&o.names),
        created_at: o.option.created_at,
        updated_at: o.option.updated_at,
    }
}

fn attribute_node(a: AttributeFull, locale: &Locale) -> AttributeNode {
    let chosen = picked(locale, &a.texts);
    AttributeNode {
        id: a.attribute.id,
        identifier: a.attribute.identifier,
        kind: a.attribute.kind,
        unit: a.attribute.unit,
        position: a.attribute.position,
        filterable: a.attribute.filterable,
        required: a.attribute.required,
        name: chosen.map(|t| t.name.clone()).unwrap_or_default(),
        description: chosen.map(|t| t.description.clone()).unwrap_or_default(),
        translations: texts(&a.texts),
        options: a
            .options
            .into_iter()
            .map(|o| option_node(o, locale))
            .collect(),
        created_at: a.attribute.created_at,
        updated_at: a.attribute.updated_at,
    }
}

/// A stored value as a GraphQL object.
pub(crate) fn value_node(v: ValueFull, locale: &Locale) -> AttributeValueNode {
    let chosen = picked(locale, &v.texts);
    AttributeValueNode {
        attribute_id: v.attribute.id,
        attribute_identifier: v.attribute.identifier,
        kind: v.attribute.kind,
        unit: v.attribute.unit,
        name: chosen.map(|t| t.name.clone()).unwrap_or_default(),
        description: chosen.map(|t| t.description.clone()).unwrap_or_default(),
        translations: texts(&v.texts),
        value_text: v.value_text,
        value_numeric: v.value_numeric,
        value_boolean: v.value_boolean,
        option_id: v.option.as_ref().map(|o| o.option.id),
        option_ids: v.options.iter().map(|o| o.option.id).collect(),
        option: v.option.map(|o| option_node(o, locale)),
        options: v
            .options
            .into_iter()
            .map(|o| option_node(o, locale))
            .collect(),
    }
}

// --- inputs and their checks ----------------------------------------------------------

/// One locale's name and description of an attribute (input).
#[derive(InputObject)]
pub struct AttributeTranslationInput {
    /// BCP 47 tag such as `de-DE` (2 to 10 characters).
    pub locale: String,
    /// 1 to 255 characters.
    pub name: String,
    #[graphql(default)]
    pub description: String,
}

/// Input of `createAttribute` / `updateAttribute` (update replaces every field and
/// translation).
#[derive(InputObject)]
pub struct AttributeInput {
    /// Lower case letters, digits, `-` and `_` (starting with a letter or digit); unique.
    #[graphql(default)]
    pub identifier: String,
    /// text, number, select, multi_select or boolean. Cannot change while values exist.
    #[graphql(name = "type", default)]
    pub kind: String,
    /// Unit of number values, at most 20 characters (empty: none).
    pub unit: Option<String>,
    #[graphql(default)]
    pub position: i32,
    #[graphql(default)]
    pub filterable: bool,
    #[graphql(default)]
    pub required: bool,
    /// At least one.
    #[graphql(default)]
    pub translations: Vec<AttributeTranslationInput>,
}

/// Input of `createAttributeOption` / `updateAttributeOption` (update replaces the names).
#[derive(InputObject)]
pub struct AttributeOptionInput {
    #[graphql(default)]
    pub position: i32,
    /// At least one.
    #[graphql(default)]
    pub translations: Vec<NameInput>,
}

/// One value to set. Give exactly the field of the attribute's type: `valueText` (text),
/// `valueNumeric` (number), `valueBoolean` (boolean), `optionId` (select, an option of
/// the attribute) or `optionIds` (multi_select, options of the attribute).
#[derive(InputObject)]
pub struct AttributeValueInput {
    pub attribute_id: Uuid,
    pub value_text: Option<String>,
    pub value_numeric: Option<f64>,
    pub value_boolean: Option<bool>,
    pub option_id: Option<Uuid>,
    pub option_ids: Option<Vec<Uuid>>,
}

fn check_translations(ts: &[AttributeTranslationInput]) -> Result<(), ApiError> {
    if ts.is_empty() {
        return Err(ApiError::invalid(
            "translations",
            "at least one translation is required",
        ));
    }
    let mut seen = HashSet::new();
    for t in ts {
        if !(2..=10).contains(&t.locale.chars().count()) {
            return Err(ApiError::invalid(
                "translations",
                "locale must be 2 to 10 characters",
            ));
        }
        if !seen.insert(t.locale.as_str()) {
            return Err(ApiError::invalid(
                "translations",
                format!("locale {} appears twice", t.locale),
            ));
        }
        if t.name.trim().is_empty() || t.name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "name is required (at most 255 characters)",
            ));
        }
    }
    Ok(())
}

fn attribute_write(input: AttributeInput) -> Result<AttributeWrite, ApiError> {
    check_identifier(&input.identifier)?;
    if !TYPES.contains(&input.kind.as_str()) {
        return Err(ApiError::invalid(
            "type",
            "must be text, number, select, multi_select or boolean",
        ));
    }
    let unit = input
        .unit
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty());
    if unit.as_ref().is_some_and(|u| u.chars().count() > 20) {
        return Err(ApiError::invalid("unit", "at most 20 characters"));
    }
    check_translations(&input.translations)?;
    Ok(AttributeWrite {
        identifier: input.identifier,
        kind: input.kind,
        unit,
        position: input.position,
        filterable: input.filterable,
        required: input.required,
        texts: input
            .translations
            .into_iter()
            .map(|t| AttributeText {
                locale: t.locale,
                name: t.name.trim().to_owned(),
                description: t.description,
            })
            .collect(),
    })
}

fn option_names(input: AttributeOptionInput) -> Result<(i32, Vec<(String, String)>), ApiError> {
    if input.translations.is_empty() {
        return Err(ApiError::invalid(
            "translations",
            "at least one translation is required",
        ));
    }
    let mut seen = HashSet::new();
    for t in &input.translations {
        if !(2..=10).contains(&t.locale.chars().count()) {
            return Err(ApiError::invalid(
                "translations",
                "locale must be 2 to 10 characters",
            ));
        }
        if !seen.insert(t.locale.as_str()) {
            return Err(ApiError::invalid(
                "translations",
                format!("locale {} appears twice", t.locale),
            ));
        }
        if t.name.trim().is_empty() || t.name.chars().count() > 255 {
            return Err(ApiError::invalid(
                "translations",
                "name is required (at most 255 characters)",
            ));
        }
    }
    Ok((
        input.position,
        input
            .translations
            .into_iter()
            .map(|t| (t.locale, t.name.trim().to_owned()))
            .collect(),
    ))
}

fn identifier_taken(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError {
            field: Some("identifier".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "an attribute with this identifier already exists",
            )
        },
        e => db_err(e),
    }
}

/// A write that raced with a delete of the attribute, option, product or variant.
fn gone(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError::with_message(
            ErrorCode::Conflict,
            "an attribute, option, product or variant was deleted meanwhile; retry",
        ),
        e => db_err(e),
    }
}

/// Checks every value against its attribute (type, options of that attribute) and returns
/// what to store. Unknown attributes are NOT_FOUND.
async fn typed_values(
    c: &mut stoa_db::Conn,
    values: Vec<AttributeValueInput>,
) -> Result<Vec<ValueWrite>, ApiError> {
    if values.is_empty() {
        return Err(ApiError::invalid(
            "attributes",
            "at least one attribute value is required",
        ));
    }
    let mut seen = HashSet::new();
    for v in &values {
        if !seen.insert(v.attribute_id) {
            return Err(ApiError::invalid(
                "attributeId",
                format!("attribute {} appears twice", v.attribute_id),
            ));
        }
    }
    let ids: Vec<Uuid> = values.iter().map(|v| v.attribute_id).collect();
    let defs = Attributes::definitions(c, &ids).await.map_err(db_err)?;
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        let (a, options) = defs
            .get(&v.attribute_id)
            .ok_or_else(|| not_found("attribute"))?;
        let given = [
            ("valueText", v.value_text.is_some()),
            ("valueNumeric", v.value_numeric.is_some()),
            ("valueBoolean", v.value_boolean.is_some()),
            ("optionId", v.option_id.is_some()),
            ("optionIds", v.option_ids.is_some()),
        ];
        let needed = match a.kind.as_str() {
            "text" => "valueText",
            "number" => "valueNumeric",
            "boolean" => "valueBoolean",
            "select" => "optionId",
            _ => "optionIds",
        };
        if let Some((extra, _)) = given.iter().find(|(f, set)| *set && *f != needed) {
            return Err(ApiError::invalid(
                extra,
                format!(
                    "{} is a {} attribute: give {needed} only",
                    a.identifier, a.kind
                ),
            ));
        }
        let missing = || {
            ApiError::invalid(
                needed,
                format!(
                    "{} is a {} attribute: {needed} is required",
                    a.identifier, a.kind
                ),
            )
        };
        let foreign = |o: Uuid| {
            ApiError::invalid(
                needed,
                format!("{o} is not an option of attribute {}", a.identifier),
            )
        };
        let value = match a.kind.as_str() {
            "text" => {
                let t = v.value_text.ok_or_else(missing)?;
                if t.trim().is_empty() {
                    return Err(missing());
                }
                Value::Text(t)
            }
            "number" => {
                let n = v.value_numeric.ok_or_else(missing)?;
                if !n.is_finite() || (n * 10_000.0).round().abs() >= MAX_TEN_THOUSANDTHS {
                    return Err(ApiError::invalid(
                        needed,
                        "must be a number between -99999999999.9999 and 99999999999.9999",
                    ));
                }
                Value::Number(n)
            }
            "boolean" => Value::Boolean(v.value_boolean.ok_or_else(missing)?),
            "select" => {
                let o = v.option_id.ok_or_else(missing)?;
                if !options.contains(&o) {
                    return Err(foreign(o));
                }
                Value::Select(o)
            }
            _ => {
                let mut os = v.option_ids.ok_or_else(missing)?;
                if os.is_empty() {
                    return Err(missing());
                }
                if let Some(o) = os.iter().find(|o| !options.contains(o)) {
                    return Err(foreign(*o));
                }
                os.sort_unstable();
                os.dedup();
                Value::MultiSelect(os)
            }
        };
        out.push(ValueWrite {
            attribute_id: v.attribute_id,
            value,
        });
    }
    Ok(out)
}

async fn load_one(c: &mut stoa_db::Conn, id: Uuid, locale: &Locale) -> Result<AttributeNode> {
    let a = Attributes::load(c, Some(id))
        .await
        .map_err(db_err)?
        .into_iter()
        .next()
        .ok_or_else(|| not_found("attribute"))?;
    Ok(attribute_node(a, locale))
}

// --- roots ----------------------------------------------------------------------------

/// Attribute queries.
#[derive(Default)]
pub struct AttributeQuery;

#[Object]
impl AttributeQuery {
    /// Every attribute definition by position, with options (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn attributes(&self, ctx: &Context<'_>) -> Result<Vec<AttributeNode>> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        Ok(Attributes::load(&mut c, None)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|a| attribute_node(a, &locale))
            .collect())
    }

    /// One attribute definition with its options (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn attribute(&self, ctx: &Context<'_>, id: Uuid) -> Result<AttributeNode> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        load_one(&mut c, id, &locale).await
    }
}

/// Attribute mutations.
#[derive(Default)]
pub struct AttributeMutation;

#[Object]
impl AttributeMutation {
    /// Creates an attribute definition (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_attribute(
        &self,
        ctx: &Context<'_>,
        input: AttributeInput,
    ) -> Result<AttributeNode> {
        let w = attribute_write(input)?;
        let mut c = conn(ctx).await?;
        let id = Attributes::create(&mut c, w.clone())
            .await
            .map_err(identifier_taken)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "attribute",
            Some(id),
            serde_json::json!({ "identifier": w.identifier, "type": w.kind }),
        )
        .await?;
        load_one(&mut c, id, &resolve_locale(ctx, None)).await
    }

    /// Replaces an attribute's fields and translations; the type cannot change while
    /// products or variants hold values of it (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_attribute(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: AttributeInput,
    ) -> Result<AttributeNode> {
        let w = attribute_write(input)?;
        let mut c = conn(ctx).await?;
        match Attributes::update(&mut c, id, w.clone())
            .await
            .map_err(identifier_taken)?
        {
            Ok(Some(())) => {}
            Ok(None) => return Err(not_found("attribute").into()),
            Err(AttributeRefusal::TypeInUse) => {
                return Err(ApiError {
                    field: Some("type".into()),
                    ..ApiError::with_message(
                        ErrorCode::Conflict,
                        "the type cannot change while products or variants have values of this attribute",
                    )
                }
                .into());
            }
        }
        audit::record(
            ctx,
            &mut c,
            "update",
            "attribute",
            Some(id),
            serde_json::json!({
                "identifier": w.identifier, "type": w.kind, "unit": w.unit,
                "position": w.position, "filterable": w.filterable, "required": w.required,
                "locales": w.texts.iter().map(|t| t.locale.clone()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        load_one(&mut c, id, &resolve_locale(ctx, None)).await
    }

    /// Deletes an attribute with its options and every product and variant value of it
    /// (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_attribute(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !Attributes::delete(&mut c, id).await.map_err(db_err)? {
            return Err(not_found("attribute").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "attribute",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        Ok(true)
    }

    /// Adds an option to a select or multi_select attribute (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_attribute_option(
        &self,
        ctx: &Context<'_>,
        attribute_id: Uuid,
        input: AttributeOptionInput,
    ) -> Result<AttributeOptionNode> {
        save_option(ctx, attribute_id, None, input).await
    }

    /// Replaces an option's position and names (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_attribute_option(
        &self,
        ctx: &Context<'_>,
        attribute_id: Uuid,
        option_id: Uuid,
        input: AttributeOptionInput,
    ) -> Result<AttributeOptionNode> {
        save_option(ctx, attribute_id, Some(option_id), input).await
    }

    /// Deletes an option; refused while a product or variant value uses it
    /// (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_attribute_option(
        &self,
        ctx: &Context<'_>,
        attribute_id: Uuid,
        option_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        match Attributes::delete_option(&mut c, attribute_id, option_id)
            .await
            .map_err(db_err)?
        {
            Ok(true) => {}
            Ok(false) => return Err(not_found("attribute option").into()),
            Err(OptionRefusal::InUse) => {
                return Err(ApiError::with_message(
                    ErrorCode::Conflict,
                    "this option is used by product or variant values",
                )
                .into());
            }
        }
        audit::record(
            ctx,
            &mut c,
            "delete_option",
            "attribute",
            Some(attribute_id),
            serde_json::json!({ "option_id": option_id }),
        )
        .await?;
        Ok(true)
    }

    /// Sets attribute values on a product: one per attribute, replacing the attribute's
    /// previous value; each value is checked against its attribute's type
    /// (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn set_product_attributes(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        values: Vec<AttributeValueInput>,
    ) -> Result<ProductNode> {
        let mut c = conn(ctx).await?;
        if !Attributes::owner_exists(&mut c, Owner::Product, product_id, product_id)
            .await
            .map_err(db_err)?
        {
            return Err(not_found("product").into());
        }
        let values = typed_values(&mut c, values).await?;
        let ids: Vec<Uuid> = values.iter().map(|v| v.attribute_id).collect();
        if !Attributes::set_values(&mut c, Owner::Product, product_id, product_id, values)
            .await
            .map_err(gone)?
        {
            return Err(not_found("product").into());
        }
        audit::record(
            ctx,
            &mut c,
            "update_attributes",
            "product",
            Some(product_id),
            serde_json::json!({ "attribute_ids": ids }),
        )
        .await?;
        let p = Product::by_id(&mut c, product_id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("product"))?;
        Ok(ProductNode::new(p, resolve_locale(ctx, None), false))
    }

    /// Removes a product's value of an attribute (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn delete_product_attribute(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        attribute_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        match Attributes::delete_value(&mut c, Owner::Product, product_id, product_id, attribute_id)
            .await
            .map_err(db_err)?
        {
            None => return Err(not_found("product").into()),
            Some(false) => return Err(not_found("attribute value").into()),
            Some(true) => {}
        }
        audit::record(
            ctx,
            &mut c,
            "delete_attribute",
            "product",
            Some(product_id),
            serde_json::json!({ "attribute_id": attribute_id }),
        )
        .await?;
        Ok(true)
    }

    /// Sets attribute values on a variant of the product, like `setProductAttributes`
    /// (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn set_variant_attributes(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        variant_id: Uuid,
        values: Vec<AttributeValueInput>,
    ) -> Result<VariantNode> {
        let mut c = conn(ctx).await?;
        if !Attributes::owner_exists(&mut c, Owner::Variant, product_id, variant_id)
            .await
            .map_err(db_err)?
        {
            return Err(not_found("variant").into());
        }
        let values = typed_values(&mut c, values).await?;
        let ids: Vec<Uuid> = values.iter().map(|v| v.attribute_id).collect();
        if !Attributes::set_values(&mut c, Owner::Variant, product_id, variant_id, values)
            .await
            .map_err(gone)?
        {
            return Err(not_found("variant").into());
        }
        audit::record(
            ctx,
            &mut c,
            "update_variant_attributes",
            "product",
            Some(product_id),
            serde_json::json!({ "variant_id": variant_id, "attribute_ids": ids }),
        )
        .await?;
        variant(&mut c, ctx, product_id, variant_id).await
    }

    /// Removes a variant's value of an attribute (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn delete_variant_attribute(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        variant_id: Uuid,
        attribute_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        match Attributes::delete_value(&mut c, Owner::Variant, product_id, variant_id, attribute_id)
            .await
            .map_err(db_err)?
        {
            None => return Err(not_found("variant").into()),
            Some(false) => return Err(not_found("attribute value").into()),
            Some(true) => {}
        }
        audit::record(
            ctx,
            &mut c,
            "delete_variant_attribute",
            "product",
            Some(product_id),
            serde_json::json!({ "variant_id": variant_id, "attribute_id": attribute_id }),
        )
        .await?;
        Ok(true)
    }
}

async fn variant(
    c: &mut stoa_db::Conn,
    ctx: &Context<'_>,
    product_id: Uuid,
    variant_id: Uuid,
) -> Result<VariantNode> {
    let p = Product::by_id(c, product_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| not_found("product"))?;
    let v = batch::variants(c, &[product_id])
        .await
        .map_err(db_err)?
        .remove(&product_id)
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.id == variant_id)
        .ok_or_else(|| not_found("variant"))?;
    Ok(VariantNode::new(
        v,
        p.price_net,
        p.price_gross,
        resolve_locale(ctx, None),
    ))
}

async fn save_option(
    ctx: &Context<'_>,
    attribute_id: Uuid,
    option_id: Option<Uuid>,
    input: AttributeOptionInput,
) -> Result<AttributeOptionNode> {
    let (position, ns) = option_names(input)?;
    let mut c = conn(ctx).await?;
    let kind = Attributes::definitions(&mut c, &[attribute_id])
        .await
        .map_err(db_err)?
        .remove(&attribute_id)
        .map(|(a, _)| a.kind)
        .ok_or_else(|| not_found("attribute"))?;
    if kind != "select" && kind != "multi_select" {
        return Err(ApiError::invalid(
            "attributeId",
            format!("a {kind} attribute has no options (only select and multi_select have)"),
        )
        .into());
    }
    let o = Attributes::save_option(&mut c, attribute_id, option_id, position, ns)
        .await
        .map_err(db_err)?
        .ok_or_else(|| {
            not_found(if option_id.is_some() {
                "attribute option"
            } else {
                "attribute"
            })
        })?;
    audit::record(
        ctx,
        &mut c,
        if option_id.is_some() {
            "update_option"
        } else {
            "create_option"
        },
        "attribute",
        Some(attribute_id),
        serde_json::json!({ "option_id": o.option.id, "position": o.option.position }),
    )
    .await?;
    Ok(option_node(o, &resolve_locale(ctx, None)))
}

/// The `attributes` field of products and variants: the owner's values through the
/// request's DataLoader.
pub(crate) async fn values_for(
    ctx: &Context<'_>,
    owner: Owner,
    id: Uuid,
    locale: &Locale,
) -> Result<Vec<AttributeValueNode>> {
    use super::loaders::{AttributesByProduct, AttributesByVariant, CatalogDataLoader};
    let loader = ctx
        .data::<CatalogDataLoader>()
        .map_err(|_| ApiError::internal("catalog loader missing"))?;
    let rows = match owner {
        Owner::Product => loader.load_one(AttributesByProduct(id)).await,
        Owner::Variant => loader.load_one(AttributesByVariant(id)).await,
    }
    .map_err(ApiError::internal)?
    .unwrap_or_default();
    Ok(rows.into_iter().map(|v| value_node(v, locale)).collect())
}

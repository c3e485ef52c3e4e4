//! The argument conveniences of the admin catalog tools ([`crate::table::Arg::Fill`],
//! [`crate::table::Arg::Translations`]): derived schemas and argument conversion, against
//! the checked-in SDL.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json, json};

use crate::args::{example_arguments, to_variables};
use crate::catalog::{Catalog, ToolSpec};
use crate::error::ToolError;
use crate::sdl::SchemaIndex;
use crate::table::{Hints, Operation, ServerKind, SessionEffect, ToolRow, fill, translations};
use crate::tools;

const SDL: &str = include_str!("../../schema/schema.graphql");

fn admin() -> (Catalog, SchemaIndex) {
    let schema = SchemaIndex::parse(SDL).expect("sdl");
    let cat = Catalog::build(ServerKind::Admin, tools::ADMIN, &schema).expect("catalog");
    (cat, schema)
}

fn vars(tool: &str, args: Json) -> Result<Json, ToolError> {
    let (cat, schema) = admin();
    let spec = cat.get(tool).expect("tool");
    to_variables(spec, &schema, args.as_object().cloned(), Some("de-DE")).map(Json::Object)
}

fn refused(tool: &str, args: Json) -> ToolError {
    let e = vars(tool, args).expect_err("refused");
    assert_eq!(e.code, "VALIDATION_ERROR", "{e}");
    e
}

fn input_schema(spec: &ToolSpec) -> Json {
    Json::Object(spec.tool.input_schema.as_ref().clone())
}

#[test]
fn name_slug_and_price_make_a_product_in_the_default_locale() {
    let v = vars(
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "price": 1299}),
    )
    .expect("vars");
    assert_eq!(
        v,
        json!({"input": {
            "translations": [{"locale": "de-DE", "name": "Mug", "slug": "mug"}],
            "priceNet": 1299,
            "priceGross": 1299,
        }}),
        "no currency: the create defaults it to EUR"
    );
    let with_description = vars(
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "description": "Big."}),
    )
    .expect("vars");
    assert_eq!(
        with_description["input"]["translations"][0]["description"],
        "Big."
    );
}

#[test]
fn price_fills_only_the_prices_not_given() {
    let v = vars(
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "price": 1190, "price_net": 1000}),
    )
    .expect("vars");
    assert_eq!(v["input"]["priceNet"], 1000);
    assert_eq!(v["input"]["priceGross"], 1190);
    let variant = vars(
        "admin_create_variant",
        json!({"product_id": "00000000-0000-0000-0000-000000000001", "price": 500}),
    )
    .expect("vars");
    assert_eq!(variant["input"]["priceNet"], 500);
    assert_eq!(variant["input"]["priceGross"], 500);
    let wrong = refused(
        "admin_create_variant",
        json!({"product_id": "x", "price": "a lot"}),
    );
    assert_eq!(wrong.field.as_deref(), Some("price"));
}

#[test]
fn an_update_sends_only_what_is_given() {
    let v = vars(
        "admin_update_product",
        json!({"id": "00000000-0000-0000-0000-000000000001", "price": 2500}),
    )
    .expect("vars");
    assert_eq!(
        v,
        json!({"id": "00000000-0000-0000-0000-000000000001",
               "input": {"priceNet": 2500, "priceGross": 2500}}),
        "no translations, no currency default on update"
    );
}

#[test]
fn translations_may_be_an_object_keyed_by_locale() {
    let v = vars(
        "admin_create_product",
        json!({"translations": {
            "de-DE": {"name": "Tasse", "slug": "tasse"},
            "en-US": {"name": "Mug", "slug": "mug", "meta_title": "A mug"},
        }}),
    )
    .expect("vars");
    let items = v["input"]["translations"].as_array().expect("array");
    assert_eq!(items.len(), 2);
    let en = items
        .iter()
        .find(|t| t["locale"] == "en-US")
        .expect("en-US");
    assert_eq!(en["name"], "Mug");
    assert_eq!(
        en["metaTitle"], "A mug",
        "snake_case keys become the schema's"
    );
    let as_array = vars(
        "admin_create_product",
        json!({"translations": [{"locale": "de-DE", "name": "Tasse", "slug": "tasse"}]}),
    )
    .expect("vars");
    assert_eq!(as_array["input"]["translations"][0]["locale"], "de-DE");

    let not_texts = refused(
        "admin_create_product",
        json!({"translations": {"de-DE": "Tasse"}}),
    );
    assert_eq!(not_texts.field.as_deref(), Some("translations.de-DE"));
    let other_locale = refused(
        "admin_create_product",
        json!({"translations": {"de-DE": {"locale": "en-US", "name": "x", "slug": "x"}}}),
    );
    assert_eq!(
        other_locale.field.as_deref(),
        Some("translations.de-DE.locale")
    );
    let missing_slug = refused(
        "admin_create_product",
        json!({"translations": {"de-DE": {"name": "Tasse"}}}),
    );
    assert_eq!(
        missing_slug.field.as_deref(),
        Some("translations.de-DE.slug")
    );
}

#[test]
fn the_default_locale_arguments_are_checked() {
    let neither = refused("admin_create_product", json!({"price": 100}));
    assert_eq!(neither.field.as_deref(), Some("name"));
    assert!(
        neither.message.contains("or give `translations`"),
        "{neither}"
    );
    let no_slug = refused("admin_create_product", json!({"name": "Mug"}));
    assert_eq!(no_slug.field.as_deref(), Some("slug"));
    let both = refused(
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "translations": {"en-US": {"name": "Mug", "slug": "mug"}}}),
    );
    assert_eq!(both.field.as_deref(), Some("name"));
    assert!(both.message.contains("not both"), "{both}");
    // A category's translation list is non-null, so it is required without `.required()`.
    let category = refused("admin_create_category", json!({"active": true}));
    assert_eq!(category.field.as_deref(), Some("name"));
    // An update without texts leaves the translations alone.
    let update = vars(
        "admin_update_product",
        json!({"id": "00000000-0000-0000-0000-000000000001", "active": false}),
    )
    .expect("vars");
    assert!(update["input"].get("translations").is_none(), "{update}");
}

#[test]
fn names_of_groups_and_options_become_name_translations() {
    let g = vars(
        "admin_create_property_group",
        json!({"identifier": "size", "name": "Größe"}),
    )
    .expect("vars");
    assert_eq!(
        g["input"]["translations"],
        json!([{"locale": "de-DE", "name": "Größe"}])
    );
    let o = vars(
        "admin_create_property_option",
        json!({"group_id": "00000000-0000-0000-0000-000000000001", "code": "S", "name": "Klein"}),
    )
    .expect("vars");
    assert_eq!(
        o["input"]["translations"],
        json!([{"locale": "de-DE", "name": "Klein"}])
    );
    let c = vars(
        "admin_update_category",
        json!({"id": "00000000-0000-0000-0000-000000000001", "name": "Tassen", "slug": "tassen"}),
    )
    .expect("vars");
    assert_eq!(
        c["input"]["translations"],
        json!([{"locale": "de-DE", "name": "Tassen", "slug": "tassen"}])
    );
}

#[test]
fn the_default_locale_is_needed_only_for_the_text_arguments() {
    let (cat, schema) = admin();
    let spec = cat.get("admin_create_product").expect("tool");
    let texts = json!({"name": "Mug", "slug": "mug"});
    assert!(spec.needs_default_locale(texts.as_object()));
    let listed = json!({"translations": [{"locale": "en-US", "name": "Mug", "slug": "mug"}]});
    assert!(!spec.needs_default_locale(listed.as_object()));
    assert!(!spec.needs_default_locale(None));
    let plain = cat.get("admin_create_tax_rule").expect("tool");
    assert!(!plain.needs_default_locale(texts.as_object()));
    // Without the locale, texts cannot become a translation: an internal error, not a
    // guess.
    let e = to_variables(spec, &schema, texts.as_object().cloned(), None).expect_err("no locale");
    assert_eq!(e.code, "INTERNAL_ERROR");
}

fn names(v: &Json) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_schemas_show_the_conveniences() {
    let (cat, _) = admin();
    let s = input_schema(cat.get("admin_create_product").expect("tool"));
    let props = &s["properties"];
    for name in [
        "name",
        "slug",
        "description",
        "translations",
        "price",
        "price_net",
        "price_gross",
        "currency",
        "sku",
        "category_ids",
    ] {
        assert!(names(props).contains(name), "missing {name}: {s}");
    }
    assert!(s.get("required").is_none(), "name or translations: {s}");
    assert_eq!(props["price"]["type"], "integer");
    assert!(
        props["price"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("price_net")),
        "{s}"
    );
    assert_eq!(props["name"]["type"], "string");
    assert!(
        props["name"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("default locale") && d.contains("Required then")),
        "{s}"
    );
    assert!(
        !props["description"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Required then")
    );
    let forms = props["translations"]["anyOf"].as_array().expect("anyOf");
    assert_eq!(forms[0]["type"], "array");
    assert!(names(&forms[0]["items"]["properties"]).contains("locale"));
    assert_eq!(forms[1]["type"], "object");
    let keyed = &forms[1]["additionalProperties"];
    assert!(!names(&keyed["properties"]).contains("locale"));
    assert!(names(&keyed["properties"]).contains("meta_title"));
    assert_eq!(keyed["required"], json!(["name", "slug"]));

    let group = input_schema(cat.get("admin_create_property_group").expect("tool"));
    assert_eq!(
        names(&group["properties"]),
        BTreeSet::from(
            ["identifier", "name", "options", "position", "translations"].map(String::from)
        )
    );
    assert_eq!(group["required"], json!(["identifier"]));
    let tax = input_schema(cat.get("admin_create_tax_rule").expect("tool"));
    assert_eq!(tax["properties"]["rate"]["type"], "integer");
}

#[test]
fn example_arguments_pass_the_conversion() {
    let (cat, schema) = admin();
    for spec in cat.tools() {
        let args = example_arguments(spec, &schema);
        to_variables(spec, &schema, Some(args), None)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.row.name));
    }
}

fn build(args: Vec<crate::table::Arg>) -> Result<Catalog, String> {
    let args: &'static [crate::table::Arg] = Box::leak(args.into_boxed_slice());
    let rows: &'static [ToolRow] = Box::leak(Box::new([ToolRow {
        name: "admin_bad",
        description: "x",
        operation: Operation {
            path: "inline",
            source: "mutation Bad($input: ProductInput!) { createProduct(input: $input) { id } }",
        },
        args,
        hints: Hints::ReadOnly,
        session: SessionEffect::None,
    }]));
    let schema = SchemaIndex::parse(SDL).expect("sdl");
    Catalog::build(ServerKind::Admin, rows, &schema).map_err(|e| e.0)
}

#[test]
fn rows_with_impossible_conveniences_are_refused() {
    // `slug` is required in a product translation but has no argument.
    let e = build(vec![translations("input.translations", &["name"])]).expect_err("slug");
    assert!(e.contains("ProductTranslationInput.slug"), "{e}");
    let e = build(vec![translations("input.sku", &["name"])]).expect_err("not a list");
    assert!(e.contains("not a list"), "{e}");
    let e = build(vec![translations(
        "input.translations",
        &["name", "slug", "title"],
    )])
    .expect_err("unknown field");
    assert!(e.contains("no field `title`"), "{e}");
    let e = build(vec![fill("price", &["input.priceNet", "input.sku"])]).expect_err("types");
    assert!(e.contains("first target's type"), "{e}");
    let ok = build(vec![
        translations("input.translations", &["name", "slug", "description"]),
        fill("price", &["input.priceNet", "input.priceGross"]),
    ])
    .expect("good row");
    let spec = ok.get("admin_bad").expect("tool");
    let mut args = Map::new();
    args.insert("price".into(), json!(7));
    let v = to_variables(
        spec,
        &SchemaIndex::parse(SDL).expect("sdl"),
        Some(args),
        None,
    )
    .expect("vars");
    assert_eq!(v["input"], json!({"priceNet": 7, "priceGross": 7}));
}

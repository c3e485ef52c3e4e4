//! The admin catalog maintenance tools an agent uses to build a catalog: products (with the
//! `price`, `name`/`slug`/`description` and keyed-`translations` conveniences), variants,
//! property groups and options, categories, tax rules, tags; argument errors and staff-key
//! permissions.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::support::{Mcp, call, connect, error_code, ok, text};

/// The store's default locale, as the GraphQL API reports it.
async fn default_locale(app: &TestApp) -> String {
    app.gql(&Auth::None, "{ storeConfig { defaultLocale } }", json!({}))
        .await
        .ok()
        .data("storeConfig.defaultLocale")
        .as_str()
        .expect("default locale")
        .to_owned()
}

async fn staff_key(app: &TestApp, perms: &[&str]) -> Auth {
    let admin = app.staff("admin").await;
    let key = app
        .gql(
            &admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "catalog agent", "permissions": perms}}),
        )
        .await
        .ok()
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    Auth::ApiKey(key)
}

/// The failed result's first error field (structured content).
#[track_caller]
fn error_field(r: &rmcp::model::CallToolResult) -> Value {
    r.structured_content.clone().expect("structured")["errors"][0]["field"].clone()
}

fn ids(v: &Value) -> Vec<Value> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x["id"].clone())
        .collect()
}

async fn create(mcp: &Mcp, tool: &str, args: Value) -> Value {
    ok(&call(mcp, tool, args).await)
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_tools_build_products_with_argument_conveniences() {
    let app = TestApp::new().await;
    let locale = default_locale(&app).await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;

    // name + slug + price only: both prices, EUR, one translation in the default locale.
    let mug = create(
        &mcp,
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "price": 1299, "sku": "MUG"}),
    )
    .await;
    assert_eq!(mug["priceNet"], 1299);
    assert_eq!(mug["priceGross"], 1299);
    assert_eq!(mug["currency"], "EUR");
    assert_eq!(
        mug["translations"],
        json!([{"locale": locale, "name": "Mug", "slug": "mug", "description": ""}])
    );
    let mug_id = mug["id"].clone();

    // translations as an object keyed by locale.
    let cup = create(
        &mcp,
        "admin_create_product",
        json!({
            "price_gross": 1190,
            "price_net": 1000,
            "currency": "USD",
            "translations": {
                "de-DE": {"name": "Tasse", "slug": "tasse", "description": "Aus Porzellan."},
                "en-US": {"name": "Cup", "slug": "cup"}
            }
        }),
    )
    .await;
    let mut locales: Vec<&str> = cup["translations"]
        .as_array()
        .expect("translations")
        .iter()
        .filter_map(|t| t["locale"].as_str())
        .collect();
    locales.sort_unstable();
    assert_eq!(locales, ["de-DE", "en-US"]);
    assert_eq!(cup["priceNet"], 1000);
    assert_eq!(cup["priceGross"], 1190);

    // An update of the price only keeps everything else (and defaults no currency).
    let updated = create(
        &mcp,
        "admin_update_product",
        json!({"id": mug_id, "price": 1500}),
    )
    .await;
    assert_eq!(updated["priceNet"], 1500);
    assert_eq!(updated["priceGross"], 1500);
    assert_eq!(updated["sku"], "MUG");
    assert_eq!(updated["translations"], mug["translations"]);
    let cup_again = create(
        &mcp,
        "admin_update_product",
        json!({"id": cup["id"], "price_gross": 1300}),
    )
    .await;
    assert_eq!(cup_again["currency"], "USD", "no EUR default on update");
    assert_eq!(cup_again["priceNet"], 1000);
    assert_eq!(cup_again["translations"], cup["translations"]);

    // A property group with a name, two options, and the variants they make.
    let group = create(
        &mcp,
        "admin_create_property_group",
        json!({"identifier": "mug-size", "name": "Größe"}),
    )
    .await;
    assert_eq!(
        group["translations"],
        json!([{"locale": locale, "name": "Größe"}])
    );
    let small = create(
        &mcp,
        "admin_create_property_option",
        json!({"group_id": group["id"], "code": "S", "name": "Klein"}),
    )
    .await;
    assert_eq!(small["name"], "Klein");
    let large = create(
        &mcp,
        "admin_create_property_option",
        json!({"group_id": group["id"], "code": "L", "translations": {"en-US": {"name": "Large"}}, "position": 1}),
    )
    .await;
    assert_eq!(
        large["translations"],
        json!([{"locale": "en-US", "name": "Large"}])
    );
    let renamed = create(
        &mcp,
        "admin_update_property_option",
        json!({"group_id": group["id"], "option_id": large["id"], "code": "L", "name": "Groß", "position": 1}),
    )
    .await;
    assert_eq!(
        renamed["translations"],
        json!([{"locale": locale, "name": "Groß"}])
    );
    let regrouped = create(
        &mcp,
        "admin_update_property_group",
        json!({"id": group["id"], "identifier": "mug-size", "name": "Tassengröße"}),
    )
    .await;
    assert_eq!(regrouped["name"], "Tassengröße");
    assert_eq!(regrouped["options"].as_array().expect("options").len(), 2);

    let generated = ok(&call(
        &mcp,
        "admin_generate_variants",
        json!({"product_id": mug_id, "option_groups": [[small["id"], large["id"]]]}),
    )
    .await);
    let variants = generated["generateVariants"].as_array().expect("variants");
    assert_eq!(variants.len(), 2);
    let mut skus: Vec<&str> = variants.iter().filter_map(|v| v["sku"].as_str()).collect();
    skus.sort_unstable();
    assert_eq!(skus, ["MUG-L", "MUG-S"]);
    assert!(
        variants.iter().all(|v| v["priceGross"] == 1500),
        "{generated}"
    );

    // A variant's own price; its update is a full replace.
    let small_variant = variants
        .iter()
        .find(|v| v["sku"] == "MUG-S")
        .expect("MUG-S");
    let repriced = create(
        &mcp,
        "admin_update_variant",
        json!({"product_id": mug_id, "variant_id": small_variant["id"], "sku": "MUG-S", "price": 1400, "option_ids": [small["id"]]}),
    )
    .await;
    assert_eq!(repriced["priceNet"], 1400);
    assert_eq!(repriced["priceGross"], 1400);
    let extra = create(
        &mcp,
        "admin_create_variant",
        json!({"product_id": cup["id"], "sku": "CUP-X", "price": 900}),
    )
    .await;
    assert_eq!(extra["priceNet"], 900);
    let product = create(&mcp, "admin_get_product", json!({"id": mug_id})).await;
    assert_eq!(ids(&product["variants"]).len(), 2);

    // A category from name/slug, then replaced.
    let category = create(
        &mcp,
        "admin_create_category",
        json!({"name": "Tassen", "slug": "tassen", "description": "Alles zum Trinken"}),
    )
    .await;
    assert_eq!(
        category["translations"],
        json!([{"locale": locale, "name": "Tassen", "description": "Alles zum Trinken", "slug": "tassen"}])
    );
    let category = create(
        &mcp,
        "admin_update_category",
        json!({"id": category["id"], "name": "Becher", "slug": "becher", "position": 3}),
    )
    .await;
    assert_eq!(category["slug"], "becher");
    assert_eq!(category["position"], 3);
    assert_eq!(category["translations"].as_array().expect("t").len(), 1);

    // A tax rule and a tag.
    let rule = create(
        &mcp,
        "admin_create_tax_rule",
        json!({"name": "Reduced", "rate": 700, "country_code": "DE"}),
    )
    .await;
    assert_eq!(rule["rate"], 700);
    assert_eq!(rule["type"], "standard");
    let taxed = create(
        &mcp,
        "admin_update_product",
        json!({"id": cup["id"], "tax_rule_id": rule["id"], "category_ids": [category["id"]]}),
    )
    .await;
    assert_eq!(taxed["taxRuleId"], rule["id"]);
    assert_eq!(taxed["categoryIds"], json!([category["id"]]));
    let tag = create(
        &mcp,
        "admin_create_tag",
        json!({"name": "Kitchen", "slug": "kitchen"}),
    )
    .await;
    let got = create(&mcp, "admin_get_tag", json!({"id": tag["id"]})).await;
    assert_eq!(got["name"], "Kitchen");

    let deleted = ok(&call(
        &mcp,
        "admin_delete_variant",
        json!({"product_id": cup["id"], "variant_id": extra["id"]}),
    )
    .await);
    assert_eq!(deleted, json!({"deleteVariant": true}));
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_tools_name_bad_arguments_and_keep_staff_keys_to_their_permissions() {
    let app = TestApp::new().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;
    let cases = [
        (json!({"price": 100}), "name"),
        (json!({"name": "Mug", "price": 100}), "slug"),
        (
            json!({"name": "Mug", "slug": "mug", "price": "cheap"}),
            "price",
        ),
        (
            json!({"name": "Mug", "slug": "mug", "translations": {"en-US": {"name": "Mug", "slug": "mug"}}}),
            "name",
        ),
        (
            json!({"translations": {"en-US": {"name": "Mug"}}}),
            "translations.en-US.slug",
        ),
        (
            json!({"name": "Mug", "slug": "mug", "colour": "red"}),
            "colour",
        ),
    ];
    for (args, field) in cases {
        let r = call(&mcp, "admin_create_product", args.clone()).await;
        assert_eq!(error_code(&r), "VALIDATION_ERROR", "{args}: {}", text(&r));
        assert_eq!(error_field(&r), field, "{args}: {}", text(&r));
    }
    let group = call(
        &mcp,
        "admin_generate_variants",
        json!({"product_id": "00000000-0000-4000-8000-000000000001", "option_groups": "all"}),
    )
    .await;
    assert_eq!(error_code(&group), "VALIDATION_ERROR", "{}", text(&group));
    let list = ok(&call(&mcp, "admin_list_products", json!({})).await);
    assert_eq!(list["total"], 0, "nothing was created");

    let reader = staff_key(&app, &["products.read"]).await;
    let limited = connect(&app, "admin", &reader).await;
    let denied = call(
        &limited,
        "admin_create_product",
        json!({"name": "Mug", "slug": "mug", "price": 100}),
    )
    .await;
    assert_eq!(error_code(&denied), "FORBIDDEN", "{}", text(&denied));
    ok(&call(&limited, "admin_list_products", json!({})).await);
    limited.cancel().await.expect("close");
    mcp.cancel().await.expect("close");
}

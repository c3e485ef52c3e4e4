//! The storefront catalog: DataLoaders keep a page at a fixed number of statements; the demo
//! data set answers the reference's shapes; locales resolve argument → Accept-Language → default.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

const BENCH: &str = include_str!("../../../schema/operations/bench/storefront_products.graphql");

async fn statements_for(app: &TestApp, limit: i64) -> (u64, Value) {
    let before = app.statement_count();
    let r = app
        .gql(
            &Auth::None,
            BENCH,
            json!({"page": 1, "limit": limit, "locale": "en-US"}),
        )
        .await
        .ok();
    (app.statement_count() - before, r.body)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_costs_the_same_few_statements_whatever_its_size() {
    let app = TestApp::new().await;
    app.seed_products(60).await;
    // Warm the pool so connection setup is not counted.
    statements_for(&app, 1).await;
    let (five, body5) = statements_for(&app, 5).await;
    let (fifty, body50) = statements_for(&app, 50).await;
    let items5 = body5["data"]["products"]["items"]
        .as_array()
        .expect("items")
        .len();
    let items50 = body50["data"]["products"]["items"]
        .as_array()
        .expect("items")
        .len();
    assert_eq!((items5, items50), (5, 50));
    let first = &body50["data"]["products"]["items"][0];
    assert_eq!(first["variants"].as_array().expect("variants").len(), 2);
    let option = first["variants"][0]["options"][0]["name"]
        .as_str()
        .expect("option name");
    assert!(["Small", "Large"].contains(&option), "{option}");
    assert_eq!(
        first["translations"]
            .as_array()
            .expect("translations")
            .len(),
        2
    );
    assert_eq!(first["media"].as_array().expect("media").len(), 1);
    assert_eq!(
        first["categoryIds"].as_array().expect("categories").len(),
        1
    );
    assert!(first["name"].as_str().expect("name").starts_with("Item "));
    assert_eq!(five, fifty, "statements at 5 vs 50 per page");
    assert!(five <= 8, "{five} statements per page");
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_catalog_over_rest() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let list: Value = app
        .http()
        .get(app.url("/api/v1/store/products?limit=25"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        list["meta"],
        json!({"total": 5, "page": 1, "limit": 25, "pages": 1})
    );
    let items = list["data"]["items"].as_array().expect("items");
    let skus: Vec<&str> = items
        .iter()
        .map(|i| i["sku"].as_str().expect("sku"))
        .collect();
    assert_eq!(
        skus,
        [
            "COFFEE-001",
            "BAG-001",
            "SHIRT-001",
            "LAPTOP-001",
            "PHONE-001"
        ]
    );
    let shirt = &items[2];
    let keys: Vec<&String> = shirt.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "sku",
            "active",
            "price_net",
            "price_gross",
            "currency",
            "tax_rule_id",
            "stock",
            "weight",
            "has_variants",
            "created_at",
            "updated_at",
            "translations",
            "variants"
        ]
    );
    assert_eq!(shirt["stock"], 200);
    assert_eq!(shirt["variants"].as_array().expect("variants").len(), 3);
    assert!(
        shirt["variants"][0].get("options").is_none(),
        "lists carry no options"
    );

    let detail: Value = app
        .http()
        .get(app.url("/api/v1/store/products/t-shirt-basic"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(detail["data"]["sku"], "SHIRT-001");
    assert_eq!(
        detail["data"]["variants"][1]["options"][0]["translations"][0],
        json!({"locale": "de-DE", "name": "M"})
    );
    assert_eq!(
        detail["data"]["categories"]
            .as_array()
            .expect("categories")
            .len(),
        1
    );

    for (q, locale, sku) in [
        ("kaffee", "de-DE", "COFFEE-001"),
        ("coffee", "en-US", "COFFEE-001"),
        ("handtasche", "de-DE", "BAG-001"),
    ] {
        let r: Value = app
            .http()
            .get(app.url(&format!("/api/v1/store/products?search={q}")))
            .header("accept-language", locale)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let found: Vec<&str> = r["data"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["sku"].as_str().expect("sku"))
            .collect();
        assert_eq!(found, [sku], "{q}");
    }

    let tree: Value = app
        .http()
        .get(app.url("/api/v1/store/categories/tree?locale=en-US"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(tree["data"][0]["translations"][0]["name"], "Electronics");
    assert_eq!(
        tree["data"][0]["children"]
            .as_array()
            .expect("children")
            .len(),
        2
    );
    assert_eq!(tree["data"][1]["translations"][0]["name"], "Fashion");
    assert!(tree["data"][1].get("children").is_none());

    // Products of a category include its descendants.
    let electronics: Value = app
        .http()
        .get(app.url("/api/v1/store/products?category_id=0d000000-0000-4000-8002-000000000001"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(electronics["meta"]["total"], 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn inactive_products_and_variants_stay_out_of_the_store() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    use diesel_async::RunQueryDsl;
    diesel::sql_query("UPDATE products SET active = false WHERE sku = 'BAG-001'")
        .execute(&mut c)
        .await
        .expect("update");
    diesel::sql_query("UPDATE product_variants SET active = false WHERE sku = 'SHIRT-001-L'")
        .execute(&mut c)
        .await
        .expect("update");
    let list: Value = app
        .http()
        .get(app.url("/api/v1/store/products"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(list["meta"]["total"], 4);
    let slug = app
        .http()
        .get(app.url("/api/v1/store/products/leder-handtasche"))
        .send()
        .await
        .expect("send");
    assert_eq!(slug.status(), 404);
    let id = app
        .http()
        .get(app.url("/api/v1/store/products/id/0d000000-0000-4000-8005-000000000004"))
        .send()
        .await
        .expect("send");
    assert_eq!(id.status(), 404);
    let shirt = app
        .gql(
            &Auth::None,
            "{ product(slug: \"t-shirt-basic\") { variants { sku } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        shirt
            .data("product.variants")
            .as_array()
            .expect("variants")
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn locales_resolve_argument_then_header_then_default() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let q = "query($l: String) { product(slug: \"t-shirt-basic\", locale: $l) { name slug } }";
    let default = app.gql(&Auth::None, q, json!({})).await.ok();
    assert_eq!(default.data("product.name"), "T-Shirt Basic");
    let arg = app.gql(&Auth::None, q, json!({"l": "en-US"})).await.ok();
    assert_eq!(arg.data("product.name"), "Basic T-Shirt");
    let header: Value = app
        .http()
        .post(app.url("/graphql"))
        .header("accept-language", "en;q=0.9, de;q=0.5")
        .json(&json!({"query": q}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(header["data"]["product"]["name"], "Basic T-Shirt");
    // An unknown locale falls back to the default.
    let unknown = app.gql(&Auth::None, q, json!({"l": "fr-FR"})).await.ok();
    assert_eq!(unknown.data("product.name"), "T-Shirt Basic");
}

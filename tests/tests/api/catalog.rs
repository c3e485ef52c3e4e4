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
    // The demo customers sign in with the documented password, and the rest of the
    // reference data set is there (shipping, payment, discounts, orders with history).
    let tokens = app.login("maria@example.com", "Demo1234!").await;
    assert!(!tokens.access.is_empty());
    let counts = std::process::Command::new("psql")
        .args([app.db_url.as_str(), "-tAc",
            "SELECT (SELECT count(*) FROM shipping_methods) || ',' || (SELECT count(*) FROM payment_methods) || ',' || \
             (SELECT count(*) FROM discounts) || ',' || (SELECT count(*) FROM orders) || ',' || \
             (SELECT count(*) FROM order_status_history) || ',' || (SELECT count(*) FROM payment_transactions) || ',' || \
             (SELECT count(*) FROM customers WHERE default_billing_address_id IS NOT NULL)"])
        .output()
        .expect("psql");
    assert_eq!(
        String::from_utf8_lossy(&counts.stdout).trim(),
        "3,2,3,2,3,1,2",
        "{counts:?}"
    );
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

const CREATE_PRODUCT: &str = "mutation($i: ProductInput!) { createProduct(input: $i) { id sku priceNet priceGross active } }";
const CREATE_GROUP: &str = "mutation($i: PropertyGroupInput!) { createPropertyGroup(input: $i) { id identifier options { id code name } } }";

#[tokio::test(flavor = "multi_thread")]
async fn admin_creates_a_product_generates_variants_sets_stock_and_sells_it() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let rule = app
        .gql(&admin, "mutation { createTaxRule(input: {name: \"Standard\", rate: 1900, countryCode: \"DE\"}) { id rate type } }", json!({}))
        .await
        .ok();
    let rule_id = rule.data("createTaxRule.id").clone();
    let product = app
        .gql(
            &admin,
            CREATE_PRODUCT,
            json!({"i": {
                "sku": "HOODIE", "active": true, "priceGross": 5999, "taxRuleId": rule_id,
                "translations": [
                    {"locale": "de-DE", "name": "Kapuzenpullover", "slug": "kapuzenpullover", "description": "Warmer Pullover aus Baumwolle"},
                    {"locale": "en-US", "name": "Hoodie", "slug": "hoodie", "description": "Warm cotton hoodie"}
                ]
            }}),
        )
        .await
        .ok();
    assert_eq!(
        product.data("createProduct.priceNet"),
        5041,
        "net derived from gross and the 19 % rule"
    );
    let pid = product.data("createProduct.id").clone();

    let size = app
        .gql(&admin, CREATE_GROUP, json!({"i": {"identifier": "hoodie-size", "translations": [{"locale": "en-US", "name": "Size"}],
            "options": [{"code": "M", "translations": [{"locale": "en-US", "name": "M"}]}, {"code": "L", "position": 1, "translations": [{"locale": "en-US", "name": "L"}]}]}}))
        .await
        .ok();
    let color = app
        .gql(&admin, CREATE_GROUP, json!({"i": {"identifier": "hoodie-color", "translations": [{"locale": "en-US", "name": "Color"}],
            "options": [{"code": "RD", "colorHex": "#aa0000", "translations": [{"locale": "en-US", "name": "Red"}]}, {"code": "GN", "colorHex": "#00aa00", "position": 1, "translations": [{"locale": "en-US", "name": "Green"}]}]}}))
        .await
        .ok();
    let ids = |g: &stoa_tests::GqlResponse| -> Vec<Value> {
        g.data("createPropertyGroup.options")
            .as_array()
            .expect("options")
            .iter()
            .map(|o| o["id"].clone())
            .collect()
    };
    let groups = json!([ids(&size), ids(&color)]);
    let gen_q = "mutation($p: UUID!, $g: [[UUID!]!]!) { generateVariants(productId: $p, optionGroups: $g) { id sku } }";
    let made = app
        .gql(&admin, gen_q, json!({"p": pid, "g": groups}))
        .await
        .ok();
    assert_eq!(
        made.data("generateVariants").as_array().expect("ids").len(),
        4
    );
    let again = app
        .gql(&admin, gen_q, json!({"p": pid, "g": groups}))
        .await
        .ok();
    assert_eq!(
        again
            .data("generateVariants")
            .as_array()
            .expect("ids")
            .len(),
        0,
        "existing combinations are skipped"
    );
    let mixed = app
        .gql(
            &admin,
            gen_q,
            json!({"p": pid, "g": [[ids(&size)[0], ids(&color)[0]]]}),
        )
        .await;
    assert_eq!(mixed.code(), "VALIDATION_ERROR");

    let detail = app
        .gql(&admin, "query($id: UUID!) { adminProduct(id: $id) { variants { id sku stock options { code } } } }", json!({"id": pid}))
        .await
        .ok();
    let variants = detail
        .data("adminProduct.variants")
        .as_array()
        .expect("variants")
        .clone();
    let skus: Vec<&str> = variants
        .iter()
        .map(|v| v["sku"].as_str().expect("sku"))
        .collect();
    assert_eq!(
        skus,
        ["HOODIE-M-RD", "HOODIE-M-GN", "HOODIE-L-RD", "HOODIE-L-GN"]
    );

    let stock_q = "mutation($w: UUID!, $items: [StockLineInput!]!) { setWarehouseStock(warehouseId: $w, items: $items) { quantity } }";
    let items: Vec<Value> = variants
        .iter()
        .map(|v| json!({"productId": pid, "variantId": v["id"], "quantity": 7}))
        .collect();
    app.gql(
        &admin,
        stock_q,
        json!({"w": "00000000-0000-0000-0000-000000000001", "items": items}),
    )
    .await
    .ok();

    // The storefront sees it, with derived stock, and finds it in both locales.
    let store = app
        .gql(
            &Auth::None,
            "{ products { total items { sku stock name variants { stock } } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(store.data("products.total"), 1);
    assert_eq!(store.data("products.items")[0]["stock"], 28);
    assert_eq!(store.data("products.items")[0]["name"], "Kapuzenpullover");
    for q in ["pullover", "hoodie"] {
        let found = app
            .gql(
                &Auth::None,
                "query($q: String) { products(search: $q) { total } }",
                json!({"q": q}),
            )
            .await
            .ok();
        assert_eq!(found.data("products.total"), 1, "{q}");
    }
    // Setting the stock again writes only the delta as a movement; the sum follows.
    let one = json!([{"productId": pid, "variantId": variants[0]["id"], "quantity": 2}]);
    app.gql(
        &admin,
        stock_q,
        json!({"w": "00000000-0000-0000-0000-000000000001", "items": one}),
    )
    .await
    .ok();
    let store = app
        .gql(&Auth::None, "{ products { items { stock } } }", json!({}))
        .await
        .ok();
    assert_eq!(store.data("products.items")[0]["stock"], 23);
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Sum {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        s: i64,
    }
    let sum: Sum =
        diesel::sql_query("SELECT COALESCE(SUM(quantity), 0)::bigint AS s FROM stock_movements")
            .get_result(&mut c)
            .await
            .expect("sum");
    assert_eq!(sum.s, 23, "movements add up to the stock");
}

#[tokio::test(flavor = "multi_thread")]
async fn catalog_admin_is_guarded_and_validated() {
    let app = TestApp::new().await;
    let manager = app.staff("manager").await;
    let (customer, _) = app.customer().await;
    let input = json!({"i": {"sku": "X-1", "translations": [{"locale": "en-US", "name": "X", "slug": "x"}]}});
    assert_eq!(
        app.gql(&customer, CREATE_PRODUCT, input.clone())
            .await
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql(&Auth::None, CREATE_PRODUCT, input.clone())
            .await
            .code(),
        "UNAUTHENTICATED"
    );
    let made = app.gql(&manager, CREATE_PRODUCT, input.clone()).await.ok();
    let id = made.data("createProduct.id").clone();
    // Managers may not delete products.
    assert_eq!(
        app.gql(
            &manager,
            "mutation($id: UUID!) { deleteProduct(id: $id) }",
            json!({"id": id})
        )
        .await
        .code(),
        "FORBIDDEN"
    );
    // A second product with the same SKU conflicts; an empty SKU is no SKU (twice is fine).
    let dup = app.gql(&manager, CREATE_PRODUCT, input).await;
    assert_eq!(dup.code(), "CONFLICT");
    for _ in 0..2 {
        app.gql(&manager, CREATE_PRODUCT, json!({"i": {"sku": "", "translations": [{"locale": "en-US", "name": "Y", "slug": "y"}]}})).await.ok();
    }
    let none = app
        .gql(&manager, CREATE_PRODUCT, json!({"i": {"sku": "Z"}}))
        .await;
    assert_eq!(
        (
            none.code(),
            none.body["errors"][0]["extensions"]["field"].as_str()
        ),
        ("VALIDATION_ERROR", Some("translations"))
    );
    let bad_currency = app.gql(&manager, CREATE_PRODUCT, json!({"i": {"currency": "euro", "translations": [{"locale": "en-US", "name": "Q", "slug": "q"}]}})).await;
    assert_eq!(bad_currency.code(), "VALIDATION_ERROR");
    // New products are inactive by default and stay out of the store.
    let store = app
        .gql(&Auth::None, "{ products { total } }", json!({}))
        .await
        .ok();
    assert_eq!(store.data("products.total"), 0);
    let admin_list = app
        .gql(&manager, "{ adminProducts { total } }", json!({}))
        .await
        .ok();
    assert_eq!(admin_list.data("adminProducts.total"), 3);
}

const SEARCH: &str = "query($q: String!, $l: String, $f: SearchFilter) { search(q: $q, locale: $l, filter: $f) {
  total items { title slug type score } facets { attribute name values { optionId value count } } } }";

#[tokio::test(flavor = "multi_thread")]
async fn search_ranks_filters_and_counts_facets_in_every_locale() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let de = app
        .gql(&Auth::None, SEARCH, json!({"q": "kaffee", "l": "de-DE"}))
        .await
        .ok();
    assert_eq!(de.data("search.items")[0]["title"], "Kaffeemaschine Deluxe");
    let en = app
        .gql(&Auth::None, SEARCH, json!({"q": "coffee", "l": "en-US"}))
        .await
        .ok();
    assert_eq!(en.data("search.items")[0]["title"], "Coffee Machine Deluxe");
    // English stemming: "handbags" finds "handbag".
    let stem = app
        .gql(&Auth::None, SEARCH, json!({"q": "handbags", "l": "en-US"}))
        .await
        .ok();
    assert_eq!(stem.data("search.total"), 1);

    // Facets count the values of filterable attributes over the matches.
    let shirts = app
        .gql(&Auth::None, SEARCH, json!({"q": "t-shirt", "l": "en-US"}))
        .await
        .ok();
    let facets = shirts
        .data("search.facets")
        .as_array()
        .expect("facets")
        .clone();
    let material = facets
        .iter()
        .find(|f| f["attribute"] == "material")
        .expect("material facet");
    assert_eq!(material["name"], "Material");
    assert_eq!(
        material["values"],
        json!([{"optionId": "0d000000-0000-4000-8008-000000000001", "value": "Cotton", "count": 1}])
    );
    let features = facets
        .iter()
        .find(|f| f["attribute"] == "features")
        .expect("features facet");
    assert_eq!(features["values"].as_array().expect("values").len(), 2);
    assert!(
        facets.iter().all(|f| f["attribute"] != "brand"),
        "brand is not filterable"
    );

    // Filters: an option the shirt does not have removes it; price and stock filters apply.
    let leather = json!({"options": ["0d000000-0000-4000-8008-000000000003"]});
    let none = app
        .gql(
            &Auth::None,
            SEARCH,
            json!({"q": "t-shirt", "l": "en-US", "f": leather}),
        )
        .await
        .ok();
    assert_eq!(none.data("search.total"), 0);
    let cheap = app
        .gql(
            &Auth::None,
            SEARCH,
            json!({"q": "t-shirt", "l": "en-US", "f": {"maxPrice": 1000}}),
        )
        .await
        .ok();
    assert_eq!(cheap.data("search.total"), 0);
    let fashion = app.gql(&Auth::None, SEARCH, json!({"q": "t-shirt", "l": "en-US", "f": {"categoryId": "0d000000-0000-4000-8002-000000000004", "inStock": true}})).await.ok();
    assert_eq!(fashion.data("search.total"), 1);

    // Empty queries are refused with a clear error; REST answers the reference's code.
    assert_eq!(
        app.gql(&Auth::None, SEARCH, json!({"q": "  "}))
            .await
            .code(),
        "VALIDATION_ERROR"
    );
    let missing = app
        .http()
        .get(app.url("/api/v1/store/search"))
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), 400);
    let v: Value = missing.json().await.expect("json");
    assert_eq!(v["errors"][0]["code"], "missing_query");
    let rest: Value = app
        .http()
        .get(app.url("/api/v1/store/search?q=kaffee&locale=de-DE"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(rest["meta"]["total"], 1);
    let keys: Vec<&String> = rest["data"]["items"][0]
        .as_object()
        .expect("hit")
        .keys()
        .collect();
    assert_eq!(
        keys,
        ["id", "type", "score", "title", "description", "slug"]
    );
}

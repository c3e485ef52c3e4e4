//! Product bulk upsert, CSV import and template (REST and GraphQL) and `stoa import products`:
//! upsert by SKU, per-item transactions, option find-or-create by name, default-warehouse
//! stock with movements, errors, permissions and audit entries.

use crate::catalog_admin::keys;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

fn header(auth: &Auth) -> Option<String> {
    match auth {
        Auth::None => None,
        Auth::Bearer(t) => Some(format!("Bearer {t}")),
        Auth::ApiKey(k) => Some(format!("ApiKey {k}")),
        Auth::Raw(r) => Some(r.clone()),
    }
}

/// `(status, body)` of a JSON REST call.
async fn rest(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.http().request(method, app.url(path));
    if let Some(h) = header(auth) {
        req = req.header("authorization", h);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("text");
    let v = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    (status, v)
}

/// `POST /api/v1/admin/products/import` with `csv` as the part `field`.
async fn import(app: &TestApp, auth: &Auth, field: &str, csv: &str) -> (u16, Value) {
    let part = Part::bytes(csv.as_bytes().to_vec())
        .file_name("products.csv")
        .mime_str("text/csv")
        .expect("mime");
    let mut req = app
        .http()
        .post(app.url("/api/v1/admin/products/import"))
        .multipart(Form::new().part(field.to_owned(), part));
    if let Some(h) = header(auth) {
        req = req.header("authorization", h);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("text");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

async fn bulk(app: &TestApp, auth: &Auth, products: Value) -> (u16, Value) {
    rest(
        app,
        Method::POST,
        "/api/v1/admin/products/bulk",
        auth,
        Some(json!({ "products": products })),
    )
    .await
}

fn code(v: &Value) -> (&str, &str) {
    (
        v["errors"][0]["code"].as_str().unwrap_or_default(),
        v["errors"][0]["field"].as_str().unwrap_or_default(),
    )
}

fn tr(name: &str) -> Value {
    json!([{ "locale": "de-DE", "name": name, "slug": name.to_lowercase() }])
}

async fn product(app: &TestApp, auth: &Auth, id: &str) -> Value {
    let (s, p) = rest(
        app,
        Method::GET,
        &format!("/api/v1/admin/products/{id}"),
        auth,
        None,
    )
    .await;
    assert_eq!(s, 200, "{p}");
    p["data"].clone()
}

async fn product_total(app: &TestApp, auth: &Auth) -> i64 {
    let (s, list) = rest(app, Method::GET, "/api/v1/admin/products", auth, None).await;
    assert_eq!(s, 200);
    list["meta"]["total"].as_i64().expect("total")
}

async fn movements(app: &TestApp, product: &str) -> Vec<(Option<uuid::Uuid>, i32)> {
    use stoa_db::schema::stock_movements as m;
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    m::table
        .filter(m::product_id.eq(uuid::Uuid::parse_str(product).expect("uuid")))
        .order(m::created_at)
        .select((m::variant_id, m::quantity))
        .load(&mut c)
        .await
        .expect("movements")
}

async fn audit(app: &TestApp, admin: &Auth) -> Vec<(String, String)> {
    let r = app
        .gql(
            admin,
            "{ auditLog(entityType: \"product\", limit: 200) { items { action entityId } } }",
            json!({}),
        )
        .await
        .ok();
    r.data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["entityId"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

async fn create_key(app: &TestApp, auth: &Auth, perms: &[&str]) -> Auth {
    let r = app
        .gql(
            auth,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "import-test", "permissions": perms}}),
        )
        .await
        .ok();
    Auth::ApiKey(r.data("createApiKey.key").as_str().expect("key").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn rest_bulk_upserts_by_sku_and_fails_items_alone() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (s, existing) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/products",
        &admin,
        Some(
            json!({"sku": "EXIST-1", "active": true, "price_net": 1000, "price_gross": 1190,
                    "currency": "EUR", "translations": tr("Alt")}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{existing}");
    let existing_id = existing["data"]["id"].as_str().expect("id").to_owned();
    let tax = app
        .gql(
            &admin,
            "mutation { createTaxRule(input: {name: \"Standard\", rate: 1900, countryCode: \"DE\"}) { id } }",
            json!({}),
        )
        .await
        .ok();
    let tax_id = tax
        .data("createTaxRule.id")
        .as_str()
        .expect("tax")
        .to_owned();

    let (s, r) = bulk(
        &app,
        &admin,
        json!([
            // New, with a gross price the net price is derived from, stock and an unknown
            // field the reference ignores.
            {"sku": "NEW-1", "active": true, "price_gross": 1190, "tax_rule_id": tax_id,
             "currency": "EUR", "stock": 7, "custom_fields": {"x": 1}, "translations": tr("Neu")},
            // Existing SKU: updated in place, absent fields kept.
            {"sku": "EXIST-1", "price_net": 2000, "translations": tr("Neu benannt")},
            // Invalid: no translations.
            {"sku": "BAD-1", "price_net": 100, "stock": 3},
            // Invalid: bad currency, with variants that must not be written either.
            {"sku": "BAD-2", "currency": "euro", "translations": tr("Kaputt"),
             "variants": [{"sku": "BAD-2-S", "stock": 2, "options": [{"group_name": "Größe", "option_name": "S"}]}]},
            // No SKU: always created.
            {"sku": "", "translations": tr("Ohne")}
        ]),
    )
    .await;
    assert_eq!(s, 207, "{r}");
    assert_eq!(
        keys(&r["data"]),
        ["results", "total", "succeeded", "failed"]
    );
    assert_eq!(
        (
            &r["data"]["total"],
            &r["data"]["succeeded"],
            &r["data"]["failed"]
        ),
        (&json!(5), &json!(3), &json!(2))
    );
    let results = r["data"]["results"].as_array().expect("results");
    assert_eq!(keys(&results[0]), ["index", "sku", "success", "id"]);
    assert_eq!(results[1]["id"], existing_id.as_str());
    assert_eq!(keys(&results[2]), ["index", "sku", "success", "errors"]);
    assert_eq!(results[2]["success"], false);
    assert_eq!(
        results[2]["errors"],
        json!(["translations: at least one translation is required"])
    );
    assert!(
        results[3]["errors"][0]
            .as_str()
            .expect("error")
            .starts_with("currency:"),
        "{r}"
    );
    assert_eq!(keys(&results[4]), ["index", "success", "id"]);
    assert_eq!(results[4]["index"], 4);

    // Nothing of the failed items exists: 3 products, no property group from BAD-2.
    assert_eq!(product_total(&app, &admin).await, 3);
    let (_, groups) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/property-groups",
        &admin,
        None,
    )
    .await;
    assert_eq!(groups["data"], json!([]));

    let new = product(&app, &admin, results[0]["id"].as_str().expect("id")).await;
    assert_eq!(
        (&new["price_net"], &new["price_gross"], &new["stock"]),
        (&json!(1000), &json!(1190), &json!(7))
    );
    assert_eq!(
        movements(&app, new["id"].as_str().expect("id")).await,
        [(None, 7)]
    );
    let updated = product(&app, &admin, &existing_id).await;
    assert_eq!(
        (
            &updated["price_net"],
            &updated["price_gross"],
            &updated["translations"][0]["name"],
            &updated["active"]
        ),
        (
            &json!(2000),
            &json!(1190),
            &json!("Neu benannt"),
            &json!(true)
        )
    );

    // One audit entry per written product (the reference audits none).
    let entries = audit(&app, &admin).await;
    for (i, action) in [(0, "create"), (1, "update"), (4, "create")] {
        let id = results[i]["id"].as_str().expect("id");
        assert!(
            entries.iter().any(|(a, e)| a == action && e == id),
            "{action} {id} missing in {entries:?}"
        );
    }
    assert_eq!(entries.len(), 4, "{entries:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_options_are_found_or_created_by_name_and_variants_upserted() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let shirt = |stock_s: i32| {
        json!({"sku": "SHIRT", "active": true, "price_net": 1000, "price_gross": 1190,
               "translations": tr("Hemd"), "variants": [
            {"sku": "SHIRT-S", "stock": stock_s, "options": [{"group_name": "Größe", "option_name": "S"}]},
            {"sku": "SHIRT-M", "stock": 4, "price_gross": 1290, "options": [
                {"group_name": "Größe", "option_name": "M"}, {"group_name": "Farbe", "option_name": "Blau"}]},
            {"stock": 1, "options": [{"group_name": "Größe", "option_name": "L"}]}
        ]})
    };
    let (s, r) = bulk(&app, &admin, json!([shirt(3)])).await;
    assert_eq!((s, &r["data"]["succeeded"]), (207, &json!(1)), "{r}");
    let id = r["data"]["results"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let groups = || async {
        let (_, g) = rest(
            &app,
            Method::GET,
            "/api/v1/admin/property-groups",
            &admin,
            None,
        )
        .await;
        let mut out: Vec<(String, Vec<String>)> = g["data"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| {
                (
                    g["identifier"].as_str().unwrap_or_default().to_owned(),
                    g["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|o| {
                            o["translations"][0]["name"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned()
                        })
                        .collect(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let first = groups().await;
    assert_eq!(
        first,
        [
            ("farbe".to_owned(), vec!["Blau".to_owned()]),
            (
                "groesse".to_owned(),
                vec!["S".to_owned(), "M".to_owned(), "L".to_owned()]
            ),
        ]
    );

    // A second run (other case, another product) reuses the groups and options; the
    // variants are updated by SKU (or, without one, by their options), not duplicated.
    let (s, r) = bulk(
        &app,
        &admin,
        json!([shirt(9), {"sku": "PANTS", "translations": tr("Hose"), "variants": [
            {"sku": "PANTS-M", "stock": 2, "options": [{"group_name": "größe", "option_name": "m"}]}]}]),
    )
    .await;
    assert_eq!((s, &r["data"]["succeeded"]), (207, &json!(2)), "{r}");
    assert_eq!(r["data"]["results"][0]["id"], id.as_str());
    assert_eq!(groups().await, first);

    let p = product(&app, &admin, &id).await;
    let variants = p["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 3, "{p}");
    let by_sku = |sku: &str| {
        variants
            .iter()
            .find(|v| v["sku"] == sku)
            .unwrap_or_else(|| panic!("{sku} in {p}"))
    };
    assert_eq!(by_sku("SHIRT-S")["stock"], 9);
    assert_eq!(by_sku("SHIRT-M")["price_gross"], 1290);
    assert_eq!(
        by_sku("SHIRT-M")["options"].as_array().map(Vec::len),
        Some(2)
    );
    // Derived: the sum of the default-warehouse rows (9 + 4 + 1).
    assert_eq!(p["stock"], 14);
    let moves = movements(&app, &id).await;
    assert_eq!(moves.iter().map(|m| m.1).sum::<i32>(), 14, "{moves:?}");
    assert_eq!(moves.len(), 4, "3 on create, +6 on SHIRT-S: {moves:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn skuless_products_never_collide_and_limits_hold() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    for _ in 0..2 {
        let (s, r) = bulk(
            &app,
            &admin,
            json!([{"translations": tr("Eins")}, {"sku": " ", "translations": tr("Zwei")}]),
        )
        .await;
        assert_eq!((s, &r["data"]["succeeded"]), (207, &json!(2)), "{r}");
    }
    assert_eq!(product_total(&app, &admin).await, 4);

    let many: Vec<Value> = (0..251)
        .map(|i| json!({"sku": format!("P{i}"), "translations": tr("x")}))
        .collect();
    let (s, r) = bulk(&app, &admin, json!(many)).await;
    assert_eq!(
        (s, code(&r)),
        (422, ("validation_error", "Products")),
        "{r}"
    );
    let (s, r) = bulk(&app, &admin, json!([])).await;
    assert_eq!((s, code(&r).0), (422, "validation_error"));
    let (s, r) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/products/bulk",
        &admin,
        Some(json!({})),
    )
    .await;
    assert_eq!((s, code(&r).0), (422, "validation_error"));
    for body in [json!("nope"), json!([{"sku": "T", "price_net": "10"}])] {
        let (s, r) = bulk(&app, &admin, body).await;
        assert_eq!((s, code(&r).0), (400, "invalid_body"), "{r}");
    }
    assert_eq!(product_total(&app, &admin).await, 4);
}

const CSV: &str = "sku,active,price_net,price_gross,currency,tax_rule_id,stock,weight,locale,name,slug,description,meta_title,meta_description,category_ids,tag_ids,variant_sku,variant_active,variant_stock,variant_price_net,variant_price_gross,option_1_group,option_1_value,option_2_group,option_2_value,option_3_group,option_3_value
TEE,true,1000,1190,EUR,,,150,en-US,Tee,tee,A tee,,,,TAGS,TEE-S-RED,true,5,,,Size,S,Color,Red,,
,,,,,,,,,,,,,,,,TEE-M-RED,true,6,,1290,Size,M,Color,Red,,
,,,,,,,,,,,,,,,,TEE-M-BLUE,false,0,,,Size,M,Color,Blue,,
MUG,true,500,595,EUR,,12,,,Tasse,,,,,,,,,,,,,,,,,
BROKEN,true,1,1,EURO,,,,en-US,Broken,broken,,,,,,,,,,,,,,,,
";

#[tokio::test(flavor = "multi_thread")]
async fn csv_import_creates_products_variants_options_and_stock() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (s, tag) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tags",
        &admin,
        Some(json!({"name": "Sale", "slug": "sale"})),
    )
    .await;
    assert_eq!(s, 201);
    let tag_id = tag["data"]["id"].as_str().expect("tag");
    let csv = CSV.replace("TAGS", tag_id);

    let (s, r) = import(&app, &admin, "file", &csv).await;
    assert_eq!(s, 207, "{r}");
    assert_eq!(
        (
            &r["data"]["total"],
            &r["data"]["succeeded"],
            &r["data"]["failed"]
        ),
        (&json!(3), &json!(2), &json!(1))
    );
    let results = r["data"]["results"].as_array().expect("results");
    assert_eq!(results[2]["sku"], "BROKEN");
    assert!(
        results[2]["errors"][0]
            .as_str()
            .expect("error")
            .starts_with("currency:")
    );

    let tee = product(&app, &admin, results[0]["id"].as_str().expect("id")).await;
    assert_eq!(tee["tags"], json!([tag_id]));
    assert_eq!(tee["weight"], 150);
    assert_eq!(tee["translations"][0]["locale"], "en-US");
    let variants = tee["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 3);
    let m_red = variants
        .iter()
        .find(|v| v["sku"] == "TEE-M-RED")
        .expect("TEE-M-RED");
    assert_eq!(
        (&m_red["stock"], &m_red["price_gross"]),
        (&json!(6), &json!(1290))
    );
    let names: Vec<&str> = m_red["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["translations"][0]["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"M") && names.contains(&"Red"), "{names:?}");
    assert_eq!(
        variants
            .iter()
            .find(|v| v["sku"] == "TEE-M-BLUE")
            .expect("blue")["active"],
        false
    );
    assert_eq!(tee["stock"], 11);

    // The empty locale cell means the default locale (de-DE); the empty slug comes from the name.
    let mug = product(&app, &admin, results[1]["id"].as_str().expect("id")).await;
    assert_eq!(mug["stock"], 12);
    assert_eq!(mug["translations"][0]["locale"], "de-DE");
    assert_eq!(mug["translations"][0]["slug"], "tasse");

    // Options were named in en-US: two groups ("size", "color"), two sizes, two colours.
    let (_, groups) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/property-groups",
        &admin,
        None,
    )
    .await;
    let mut ids: Vec<(&str, usize)> = groups["data"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["identifier"].as_str().unwrap_or_default(),
                g["options"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [("color", 2), ("size", 2)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_import_errors_are_stable() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let bad = "sku,price_net,name\nA,100,Alpha\nB,lots,Beta\n";
    let (s, r) = import(&app, &admin, "file", bad).await;
    assert_eq!((s, code(&r)), (400, ("csv_parse_error", "file")), "{r}");
    let detail = r["errors"][0]["detail"].as_str().expect("detail");
    assert!(detail.starts_with("line 3: price_net"), "{detail}");
    let (s, r) = import(&app, &admin, "file", "sku,colour\nA,red\n").await;
    assert_eq!((s, code(&r)), (400, ("csv_parse_error", "file")), "{r}");
    let (s, r) = import(&app, &admin, "file", "sku,name\nA,x,y\n").await;
    assert_eq!((s, code(&r)), (400, ("csv_parse_error", "file")), "{r}");
    // Nothing was written by the rejected files.
    assert_eq!(product_total(&app, &admin).await, 0);

    let (s, r) = import(&app, &admin, "upload", "sku\nA\n").await;
    assert_eq!((s, code(&r)), (400, ("missing_file", "file")), "{r}");
    let (s, r) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/products/import",
        &admin,
        Some(json!({"file": "sku\nA\n"})),
    )
    .await;
    assert_eq!((s, code(&r).0), (400, "invalid_form"), "{r}");
}

#[tokio::test(flavor = "multi_thread")]
async fn template_downloads_and_reimports() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let resp = app
        .http()
        .get(app.url("/api/v1/admin/products/import/template"))
        .header("authorization", header(&admin).expect("auth"))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().expect("type"),
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        resp.headers()["content-disposition"]
            .to_str()
            .expect("disposition"),
        "attachment; filename=\"product_import_template.csv\""
    );
    let csv = resp.text().await.expect("text");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "sku,active,price_net,price_gross,currency,tax_rule_id,stock,weight,locale,name,slug,description,meta_title,meta_description,category_ids,tag_ids,variant_sku,variant_active,variant_stock,variant_price_net,variant_price_gross,option_1_group,option_1_value,option_2_group,option_2_value,option_3_group,option_3_value"
        )
    );
    assert_eq!(lines.count(), 2);

    let (s, r) = import(&app, &admin, "file", &csv).await;
    assert_eq!((s, &r["data"]["succeeded"]), (207, &json!(1)), "{r}");
    let id = r["data"]["results"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Again: the same product is updated, its two variants kept.
    let (s, r) = import(&app, &admin, "file", &csv).await;
    assert_eq!(
        (s, &r["data"]["results"][0]["id"]),
        (207, &json!(id)),
        "{r}"
    );
    let p = product(&app, &admin, &id).await;
    assert_eq!(p["variants"].as_array().map(Vec::len), Some(2));
    assert_eq!(p["stock"], 15);
    assert_eq!(product_total(&app, &admin).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn permissions_are_enforced() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (customer, _) = app.customer().await;
    let reader = create_key(&app, &admin, &["products.read"]).await;
    let creator = create_key(&app, &admin, &["products.create"]).await;
    let item = json!([{"sku": "K-1", "translations": tr("Key")}]);

    let (s, r) = bulk(&app, &reader, item.clone()).await;
    assert_eq!((s, code(&r).0), (403, "forbidden"), "{r}");
    let (s, r) = import(&app, &reader, "file", "sku,name\nK-1,Key\n").await;
    assert_eq!((s, code(&r).0), (403, "forbidden"), "{r}");
    let (s, _) = bulk(&app, &customer, item.clone()).await;
    assert_eq!(s, 403);
    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/products/import/template",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 401);
    let resp = app
        .http()
        .get(app.url("/api/v1/admin/products/import/template"))
        .header("authorization", header(&reader).expect("auth"))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);

    // products.create creates; updating an existing SKU also needs products.update.
    let (s, r) = bulk(&app, &creator, item.clone()).await;
    assert_eq!((s, &r["data"]["succeeded"]), (207, &json!(1)), "{r}");
    let (s, r) = bulk(&app, &creator, item).await;
    assert_eq!((s, &r["data"]["failed"]), (207, &json!(1)), "{r}");
    assert_eq!(
        r["data"]["results"][0]["errors"][0],
        "sku: a product with this SKU exists; updating it needs products.update"
    );
}

const GQL_BULK: &str = "mutation($p: [BulkProductInput!]!) { bulkUpsertProducts(products: $p) { total succeeded failed results { index sku success id action errors } } }";

#[tokio::test(flavor = "multi_thread")]
async fn graphql_bulk_upsert_reports_actions() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let item = |price: i32| {
        json!([{"sku": "G-1", "priceNet": price, "translations": [{"locale": "en-US", "name": "G", "slug": "g"}],
                "variants": [{"sku": "G-1-A", "stock": 2, "options": [{"groupName": "Size", "optionName": "A", "locale": "en-US"}]}]},
               {"sku": "G-2", "weight": -1, "translations": [{"locale": "en-US", "name": "G2", "slug": "g2"}]}])
    };
    let r = app
        .gql(&admin, GQL_BULK, json!({"p": item(100)}))
        .await
        .ok();
    let results = r.data("bulkUpsertProducts.results");
    assert_eq!(r.data("bulkUpsertProducts.succeeded"), 1);
    assert_eq!(results[0]["action"], "CREATED");
    assert_eq!(
        results[1]["errors"],
        json!(["weight: must not be negative"])
    );
    assert_eq!(
        (&results[1]["id"], &results[1]["action"]),
        (&Value::Null, &Value::Null)
    );
    let r = app
        .gql(&admin, GQL_BULK, json!({"p": item(200)}))
        .await
        .ok();
    assert_eq!(r.data("bulkUpsertProducts.results")[0]["action"], "UPDATED");

    let r = app.gql(&admin, GQL_BULK, json!({"p": []})).await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "products");
    let r = app.gql(&Auth::None, GQL_BULK, json!({"p": item(1)})).await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let r = app
        .gql(&admin, "{ productImportTemplate }", json!({}))
        .await
        .ok();
    assert!(
        r.data("productImportTemplate")
            .as_str()
            .expect("template")
            .starts_with("sku,active,")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_import_reports_failed_rows_and_exits_non_zero() {
    use clap::Parser;

    let app = TestApp::new().await;
    let dir = tempfile::tempdir().expect("dir");
    let csv_path = dir.path().join("products.csv");
    std::fs::write(
        &csv_path,
        "sku,name,price_net,variant_sku,variant_stock,option_1_group,option_1_value\n\
         CLI-1,Erster,100,CLI-1-S,4,Größe,S\n\
         ,,,CLI-1-M,2,Größe,M\n\
         CLI-2,,100,,,,\n",
    )
    .expect("csv");

    let mut out = Vec::new();
    let summary = stoa_server::import::import_products(&app.app, &csv_path, false, &mut out)
        .await
        .expect("import runs");
    assert_eq!((summary.total, summary.created, summary.updated), (2, 1, 0));
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(
        (summary.failed[0].line, summary.failed[0].sku.as_str()),
        (4, "CLI-2")
    );
    let text = String::from_utf8(out).expect("utf8");
    assert!(
        text.contains("2 products, 1 created, 0 updated, 1 failed"),
        "{text}"
    );
    assert!(
        text.contains("line 4 (sku CLI-2): translations: at least one translation is required"),
        "{text}"
    );

    // The command itself (as `main` runs it): the failed row makes it an error, which the
    // binary turns into exit status 1.
    let cfg = dir.path().join("config.yaml");
    std::fs::write(
        &cfg,
        format!(
            "database:\n  url: {}\nauth:\n  jwt_secret: {}\npayment:\n  encryption_key: \"{}\"\nmedia:\n  local_path: {}\n",
            app.db_url,
            stoa_tests::TEST_JWT_SECRET,
            "00".repeat(32),
            dir.path().join("uploads").display()
        ),
    )
    .expect("config");
    let cli = stoa_server::cli::Cli::try_parse_from([
        "stoa",
        "--config",
        cfg.to_str().expect("path"),
        "import",
        "products",
        csv_path.to_str().expect("path"),
    ])
    .expect("arguments");
    let err = stoa_server::cli::run(cli).await.expect_err("a row failed");
    assert!(
        err.to_string().contains("1 of 2 products failed (lines 4)"),
        "{err:#}"
    );
    // The good product was updated by the second run, not duplicated.
    let admin = app.staff("admin").await;
    assert_eq!(product_total(&app, &admin).await, 1);
    let (_, list) = rest(&app, Method::GET, "/api/v1/admin/products", &admin, None).await;
    let p = product(
        &app,
        &admin,
        list["data"]["items"][0]["id"].as_str().expect("id"),
    )
    .await;
    assert_eq!((&p["sku"], &p["stock"]), (&json!("CLI-1"), &json!(6)));
}

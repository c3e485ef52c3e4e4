//! Catalog maintenance over REST (which runs the GraphQL operations): tags, categories,
//! single variants, property groups and options, tax rules, warehouses and stock reads —
//! shapes, status codes, conflicts, derived stock and permissions.

use reqwest::Method;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

/// `(status, body)` of a REST call (`Value::Null` for an empty body).
pub(crate) async fn rest(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.http().request(method, app.url(path));
    match auth {
        Auth::Bearer(t) => req = req.header("authorization", format!("Bearer {t}")),
        Auth::ApiKey(k) => req = req.header("authorization", format!("ApiKey {k}")),
        Auth::Raw(r) => req = req.header("authorization", r),
        Auth::None => {}
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
        serde_json::from_str(&text).expect("json")
    };
    (status, v)
}

pub(crate) fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

pub(crate) fn code(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or_default()
}

pub(crate) async fn product(app: &TestApp, admin: &Auth, sku: &str) -> String {
    let (s, p) = rest(
        app,
        Method::POST,
        "/api/v1/admin/products",
        admin,
        Some(json!({
            "sku": sku, "active": true, "price_net": 1000, "price_gross": 1190, "currency": "EUR",
            "translations": [{"locale": "en-US", "name": sku, "slug": sku.to_lowercase()}]
        })),
    )
    .await;
    assert_eq!(s, 201, "{p}");
    p["data"]["id"].as_str().expect("id").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_crud_with_conflicts_and_permissions() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (customer, _) = app.customer().await;
    let (s, sale) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tags",
        &admin,
        Some(json!({"name": "Sale", "slug": "sale"})),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(keys(&sale["data"]), ["id", "name", "slug"]);
    let id = sale["data"]["id"].as_str().expect("id").to_owned();
    for (name, slug) in [("New", "new"), ("Organic", "organic")] {
        let (s, _) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/tags",
            &admin,
            Some(json!({"name": name, "slug": slug})),
        )
        .await;
        assert_eq!(s, 201);
    }
    let (s, dup) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tags",
        &admin,
        Some(json!({"name": "Sale 2", "slug": "sale"})),
    )
    .await;
    assert_eq!((s, code(&dup)), (409, "duplicate_slug"));
    let (s, bad) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tags",
        &admin,
        Some(json!({"name": "", "slug": "x"})),
    )
    .await;
    assert_eq!((s, code(&bad)), (422, "validation_error"));

    let (s, page) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/tags?limit=2",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        page["meta"],
        json!({"total": 3, "page": 1, "limit": 2, "pages": 2})
    );
    let names: Vec<&str> = page["data"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["New", "Organic"], "by name");
    let (_, filtered) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/tags?name=ORG",
        &admin,
        None,
    )
    .await;
    assert_eq!(filtered["meta"]["total"], 1);

    // A product carries the tag; deleting the tag unlinks it.
    let pid = product(&app, &admin, "TAGGED").await;
    let (s, _) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        Some(json!({"tag_ids": [id]})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(p["data"]["tags"], json!([id]));

    let (s, renamed) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/tags/{id}"),
        &admin,
        Some(json!({"name": "Sale!", "slug": "sale-now"})),
    )
    .await;
    assert_eq!(
        (s, renamed["data"]["slug"].as_str()),
        (200, Some("sale-now"))
    );
    let (s, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/tags/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, got["data"]["name"].as_str()), (200, Some("Sale!")));

    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/tags/{id}"),
        &customer,
        None,
    )
    .await;
    assert_eq!(s, 403);
    let manager = app.staff("manager").await;
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/tags/{id}"),
        &manager,
        None,
    )
    .await;
    assert_eq!(s, 403, "managers cannot delete catalog entities");
    let (s, body) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/tags/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, body), (204, Value::Null));
    let (s, gone) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/tags/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (s, gone["errors"][0]["detail"].as_str()),
        (404, Some("tag not found"))
    );
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert!(
        p["data"].get("tags").is_none(),
        "the product lost the tag: {p}"
    );
    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/tags/not-a-uuid",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn categories_paginate_update_refuse_cycles_and_delete_moving_children_up() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let mk = |name: &str, parent: Option<&str>| {
        json!({"parent_id": parent, "position": 0, "active": true, "custom_fields": {"icon": name},
            "translations": [{"locale": "de-DE", "name": format!("{name} DE"), "slug": format!("{name}-de")},
                             {"locale": "en-US", "name": name, "slug": name.to_lowercase(), "description": "d"}]})
    };
    let (s, root) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/categories",
        &admin,
        Some(mk("Root", None)),
    )
    .await;
    assert_eq!(s, 201, "{root}");
    assert_eq!(
        keys(&root["data"]),
        [
            "id",
            "position",
            "active",
            "custom_fields",
            "created_at",
            "updated_at",
            "translations"
        ]
    );
    let root_id = root["data"]["id"].as_str().expect("id").to_owned();
    let (_, child) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/categories",
        &admin,
        Some(mk("Child", Some(&root_id))),
    )
    .await;
    let child_id = child["data"]["id"].as_str().expect("id").to_owned();
    assert_eq!(child["data"]["parent_id"].as_str(), Some(root_id.as_str()));
    let (_, grandchild) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/categories",
        &admin,
        Some(mk("Grandchild", Some(&child_id))),
    )
    .await;
    let grandchild_id = grandchild["data"]["id"].as_str().expect("id").to_owned();

    // Pages count categories, not translation rows (each has two).
    let (s, page) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/categories?limit=2",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(page["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        page["data"][0]["translations"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(page["meta"]["total"], 3);
    let (_, under) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/categories?parent_id={root_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(under["meta"]["total"], 1);

    // A category cannot move below its own descendant.
    let (s, cycle) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/categories/{root_id}"),
        &admin,
        Some(mk("Root", Some(&grandchild_id))),
    )
    .await;
    assert_eq!(s, 422, "{cycle}");
    // PUT replaces: one translation left, inactive.
    let (s, upd) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/categories/{child_id}"),
        &admin,
        Some(json!({
        "parent_id": root_id, "position": 3, "active": false,
        "translations": [{"locale": "en-US", "name": "Kid", "slug": "kid"}]})),
    )
    .await;
    assert_eq!(s, 200, "{upd}");
    assert_eq!(
        upd["data"]["translations"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        (
            upd["data"]["active"].as_bool(),
            upd["data"]["position"].as_i64()
        ),
        (Some(false), Some(3))
    );

    // Deleting the middle category moves its child up to the root.
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/categories/{child_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, gc) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/categories/{grandchild_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(gc["data"]["parent_id"].as_str(), Some(root_id.as_str()));
    let (s, nf) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/categories/{child_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (s, nf["errors"][0]["detail"].as_str()),
        (404, Some("category not found"))
    );
    let (s, _) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/categories",
        &admin,
        Some(json!({"translations": []})),
    )
    .await;
    assert_eq!(s, 422);
}

const GROUP: &str = "mutation($i: PropertyGroupInput!) { createPropertyGroup(input: $i) { id options { id code } } }";

#[tokio::test(flavor = "multi_thread")]
async fn single_variants_options_and_stock_stay_consistent() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let pid = product(&app, &admin, "MUG").await;
    let group = app.gql(&admin, GROUP, json!({"i": {"identifier": "mug-size", "translations": [{"locale": "en-US", "name": "Size"}],
        "options": [{"code": "S", "translations": [{"locale": "en-US", "name": "Small"}]}, {"code": "L", "position": 1, "translations": [{"locale": "en-US", "name": "Large"}]}]}})).await.ok();
    let gid = group
        .data("createPropertyGroup.id")
        .as_str()
        .expect("gid")
        .to_owned();
    let small = group.data("createPropertyGroup.options")[0]["id"]
        .as_str()
        .expect("s")
        .to_owned();
    let large = group.data("createPropertyGroup.options")[1]["id"]
        .as_str()
        .expect("l")
        .to_owned();

    let (s, v) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/products/{pid}/variants"),
        &admin,
        Some(json!({"sku": "MUG-S", "stock": 7, "active": true, "option_ids": [small]})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        keys(&v["data"]),
        [
            "id",
            "product_id",
            "sku",
            "price_net",
            "price_gross",
            "stock",
            "active",
            "created_at",
            "updated_at",
            "options"
        ]
    );
    assert_eq!(
        (
            v["data"]["stock"].as_i64(),
            v["data"]["price_gross"].as_i64()
        ),
        (Some(7), Some(1190)),
        "stock set, price inherited"
    );
    let vid = v["data"]["id"].as_str().expect("vid").to_owned();
    // Same option set again → conflict; two options of one group → validation.
    let (s, dup) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/products/{pid}/variants"),
        &admin,
        Some(json!({"option_ids": [small]})),
    )
    .await;
    assert_eq!((s, code(&dup)), (409, "conflict"));
    let (s, _) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/products/{pid}/variants"),
        &admin,
        Some(json!({"option_ids": [small, large]})),
    )
    .await;
    assert_eq!(s, 422);
    // The same path still generates when the body names option groups: only L is new.
    let (s, gen_) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/products/{pid}/variants"),
        &admin,
        Some(json!({"option_groups": [[small, large]]})),
    )
    .await;
    assert_eq!(s, 201, "{gen_}");
    assert_eq!(gen_["data"].as_array().map(Vec::len), Some(1));

    // Stock reads: per product across warehouses, with names.
    let (s, stock) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}/stock"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(stock["data"][0]["quantity"], 7);
    assert_eq!(stock["data"][0]["warehouse_code"], "DEFAULT");
    assert_eq!(stock["data"][0]["variant_sku"], "MUG-S");
    assert_eq!(stock["data"][0]["product_name"], "MUG");

    // PUT replaces price, SKU, options, stock.
    let (s, upd) = rest(&app, Method::PUT, &format!("/api/v1/admin/products/{pid}/variants/{vid}"), &admin,
        Some(json!({"sku": "MUG-SMALL", "price_gross": 990, "price_net": 832, "stock": 3, "active": true, "option_ids": [small]}))).await;
    assert_eq!(s, 200, "{upd}");
    assert_eq!(
        (
            upd["data"]["sku"].as_str(),
            upd["data"]["price_gross"].as_i64(),
            upd["data"]["stock"].as_i64()
        ),
        (Some("MUG-SMALL"), Some(990), Some(3))
    );
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        p["data"]["stock"], 3,
        "product stock is the sum of its warehouse rows"
    );

    // A variant of another product is not found through this one.
    let other = product(&app, &admin, "PLATE").await;
    let (s, nf) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/products/{other}/variants/{vid}"),
        &admin,
        Some(json!({"option_ids": []})),
    )
    .await;
    assert_eq!(
        (s, nf["errors"][0]["detail"].as_str()),
        (404, Some("variant not found"))
    );

    // Options in use cannot go; unused ones can.
    let (s, used) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/property-groups/{gid}/options/{small}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&used)), (409, "conflict"));
    let (s, opt) = rest(&app, Method::POST, &format!("/api/v1/admin/property-groups/{gid}/options"), &admin,
        Some(json!({"code": "XL", "position": 2, "translations": [{"locale": "en-US", "name": "Extra large"}]}))).await;
    assert_eq!(s, 201, "{opt}");
    let xl = opt["data"]["id"].as_str().expect("xl").to_owned();
    let (s, ren) = rest(&app, Method::PUT, &format!("/api/v1/admin/property-groups/{gid}/options/{xl}"), &admin,
        Some(json!({"code": "XL", "color_hex": "#112233", "translations": [{"locale": "en-US", "name": "XL"}]}))).await;
    assert_eq!(
        (s, ren["data"]["color_hex"].as_str()),
        (200, Some("#112233"))
    );
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/property-groups/{gid}/options/{xl}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, g) = rest(&app, Method::PUT, &format!("/api/v1/admin/property-groups/{gid}"), &admin,
        Some(json!({"identifier": "mug-size", "position": 4, "translations": [{"locale": "de-DE", "name": "Größe"}]}))).await;
    assert_eq!((s, g["data"]["position"].as_i64()), (200, Some(4)));
    assert_eq!(g["data"]["options"].as_array().map(Vec::len), Some(2));
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/property-groups/{gid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 409, "its options are in use");

    // Deleting the variants re-derives the product stock.
    for v in [
        vid.as_str(),
        gen_["data"][0]["id"].as_str().expect("gen id"),
    ] {
        let (s, _) = rest(
            &app,
            Method::DELETE,
            &format!("/api/v1/admin/products/{pid}/variants/{v}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(s, 204);
    }
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(p["data"]["stock"], 0);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{pid}/variants/{vid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/property-groups/{gid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204, "no variant uses it any more");
}

#[tokio::test(flavor = "multi_thread")]
async fn warehouses_and_tax_rules_maintenance() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let pid = product(&app, &admin, "KETTLE").await;
    let (s, wh) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/warehouses",
        &admin,
        Some(json!({"name": "North", "code": "N1", "priority": 2})),
    )
    .await;
    assert_eq!(s, 201);
    let wid = wh["data"]["id"].as_str().expect("wid").to_owned();
    let (s, set) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/warehouses/{wid}/stock"),
        &admin,
        Some(json!({"items": [{"product_id": pid, "quantity": 12, "reference": "delivery"}]})),
    )
    .await;
    assert_eq!(s, 200, "{set}");
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(p["data"]["stock"], 12);

    let (s, list) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/warehouses?limit=1",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        list["meta"],
        json!({"total": 2, "page": 1, "limit": 1, "pages": 2})
    );
    assert_eq!(list["data"][0]["code"], "DEFAULT", "by priority");
    let (s, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/warehouses/{wid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, got["data"]["code"].as_str()), (200, Some("N1")));

    // Deactivating the warehouse takes its stock out of the product's.
    let (s, upd) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/warehouses/{wid}"),
        &admin,
        Some(json!({"name": "North", "code": "N1", "priority": 2, "active": false})),
    )
    .await;
    assert_eq!((s, upd["data"]["active"].as_bool()), (200, Some(false)));
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(p["data"]["stock"], 0);
    let (s, taken) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/warehouses/{wid}"),
        &admin,
        Some(json!({"name": "North", "code": "DEFAULT"})),
    )
    .await;
    assert_eq!((s, code(&taken)), (409, "duplicate_code"));

    // A warehouse holding stock, and the default one, cannot be deleted.
    let (s, held) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/warehouses/{wid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&held)), (409, "conflict"));
    let (s, _) = rest(
        &app,
        Method::DELETE,
        "/api/v1/admin/warehouses/00000000-0000-0000-0000-000000000001",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 409);
    let (s, rows) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/warehouses/{wid}/stock"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(rows["data"][0]["product_sku"], "KETTLE");
    let sid = rows["data"][0]["id"].as_str().expect("sid").to_owned();
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/warehouses/{wid}/stock/{sid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/warehouses/{wid}/stock/{sid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/warehouses/{wid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let moves = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"warehouse\") { total } }",
            json!({}),
        )
        .await;
    assert!(
        moves.body["data"]["auditLog"]["total"]
            .as_i64()
            .unwrap_or(0)
            >= 4,
        "{:?}",
        moves.body
    );

    // Tax rules: get, replace, refuse deleting one in use.
    let (_, rule) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tax-rules",
        &admin,
        Some(json!({"name": "Std", "rate": 1900, "country_code": "DE", "type": "standard"})),
    )
    .await;
    let rid = rule["data"]["id"].as_str().expect("rid").to_owned();
    let (s, _) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        Some(json!({"tax_rule_id": rid})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, upd) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/tax-rules/{rid}"),
        &admin,
        Some(json!({"name": "Reduced", "rate": 700, "country_code": "DE", "type": "reduced"})),
    )
    .await;
    assert_eq!((s, upd["data"]["rate"].as_i64()), (200, Some(700)));
    let (s, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/tax-rules/{rid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, got["data"]["type"].as_str()), (200, Some("reduced")));
    let (s, inuse) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/tax-rules/{rid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&inuse)), (409, "conflict"));
    let (s, nf) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/tax-rules/00000000-0000-0000-0000-0000000000ff",
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (s, nf["errors"][0]["detail"].as_str()),
        (404, Some("tax rule not found"))
    );
}

//! Catalog tools: storefront browsing for agents, admin product and stock tools.

use serde_json::json;
use stoa_tests::TestApp;

use crate::support::{call, connect, error_code, ok, text};
use stoa_tests::Auth;

#[tokio::test(flavor = "multi_thread")]
async fn agents_browse_search_and_read_products() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let list = call(
        &mcp,
        "store_list_products",
        json!({"limit": 2, "locale": "en-US"}),
    )
    .await;
    assert!(
        text(&list).contains("Page 1 of 3 (total: 5)"),
        "{}",
        text(&list)
    );
    let v = ok(&list);
    assert_eq!(v["items"][0]["name"], "Coffee Machine Deluxe");

    let product = ok(&call(
        &mcp,
        "store_get_product",
        json!({"slug": "t-shirt-basic", "locale": "en-US"}),
    )
    .await);
    assert_eq!(product["name"], "Basic T-Shirt");
    assert_eq!(product["variants"].as_array().expect("variants").len(), 3);
    let neither = call(&mcp, "store_get_product", json!({})).await;
    assert_eq!(error_code(&neither), "VALIDATION_ERROR");

    let found = ok(&call(
        &mcp,
        "store_search",
        json!({"q": "kaffee", "locale": "de-DE"}),
    )
    .await);
    assert_eq!(found["items"][0]["title"], "Kaffeemaschine Deluxe");
    let narrowed = ok(&call(
        &mcp,
        "store_search",
        json!({"q": "t-shirt", "locale": "en-US", "filter": {"options": ["0d000000-0000-4000-8008-000000000001"]}}),
    )
    .await);
    assert_eq!(narrowed["total"], 1);

    // Lists come wrapped in their field name (structured content is an object).
    let tree = ok(&call(&mcp, "store_get_categories", json!({"locale": "en-US"})).await);
    assert_eq!(tree["categoryTree"][0]["name"], "Electronics");
    assert_eq!(
        tree["categoryTree"][0]["children"]
            .as_array()
            .expect("children")
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_tools_manage_products_and_stock_and_report_deletes_as_success() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;
    let rules = ok(&call(&mcp, "admin_list_tax_rules", json!({})).await);
    assert_eq!(rules["taxRules"].as_array().expect("rules").len(), 2);
    let groups = ok(&call(&mcp, "admin_list_property_groups", json!({})).await);
    assert!(
        groups["propertyGroups"]
            .as_array()
            .expect("groups")
            .iter()
            .any(|g| g["identifier"] == "size")
    );
    let houses = ok(&call(&mcp, "admin_list_warehouses", json!({})).await);
    let warehouse = houses["items"][0]["id"].clone();

    let stock = call(
        &mcp,
        "admin_set_warehouse_stock",
        json!({"id": warehouse, "items": [{"product_id": "0d000000-0000-4000-8005-000000000002", "quantity": 3}]}),
    )
    .await;
    assert_eq!(ok(&stock)["setWarehouseStock"][0]["quantity"], 3);
    let laptop = ok(&call(
        &mcp,
        "admin_get_product",
        json!({"id": "0d000000-0000-4000-8005-000000000002"}),
    )
    .await);
    assert_eq!(laptop["stock"], 3);

    let deleted = call(
        &mcp,
        "admin_delete_product",
        json!({"id": "0d000000-0000-4000-8005-000000000002"}),
    )
    .await;
    assert_eq!(
        ok(&deleted),
        json!({"deleteProduct": true}),
        "a successful delete is a success"
    );
    let again = call(
        &mcp,
        "admin_delete_product",
        json!({"id": "0d000000-0000-4000-8005-000000000002"}),
    )
    .await;
    assert_eq!(error_code(&again), "NOT_FOUND");
    let list = ok(&call(&mcp, "admin_list_products", json!({})).await);
    assert_eq!(list["total"], 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_maintain_tags_categories_and_warehouses() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;

    let tag = ok(&call(
        &mcp,
        "admin_create_tag",
        json!({"name": "Summer", "slug": "summer"}),
    )
    .await);
    let tag_id = tag["id"].clone();
    let dup = call(
        &mcp,
        "admin_create_tag",
        json!({"name": "Again", "slug": "summer"}),
    )
    .await;
    assert_eq!(error_code(&dup), "CONFLICT");
    let tags = ok(&call(&mcp, "admin_list_tags", json!({"name": "summ"})).await);
    assert_eq!(tags["total"], 1);
    let renamed = ok(&call(
        &mcp,
        "admin_update_tag",
        json!({"id": tag_id, "name": "Summer Sale", "slug": "summer-sale"}),
    )
    .await);
    assert_eq!(renamed["slug"], "summer-sale");
    let deleted = ok(&call(&mcp, "admin_delete_tag", json!({"id": tag_id})).await);
    assert_eq!(deleted["deleteTag"], true);
    let again = call(&mcp, "admin_delete_tag", json!({"id": tag_id})).await;
    assert_eq!(error_code(&again), "NOT_FOUND");

    let cats = ok(&call(&mcp, "admin_list_categories", json!({"limit": 50})).await);
    let first = cats["items"][0]["id"].clone();
    assert!(cats["total"].as_i64().unwrap_or(0) >= 3);
    let cat = ok(&call(&mcp, "admin_get_category", json!({"id": first})).await);
    assert!(
        !cat["translations"]
            .as_array()
            .expect("translations")
            .is_empty()
    );

    let wh = ok(&call(
        &mcp,
        "admin_create_warehouse",
        json!({"name": "Annex", "code": "ANX", "priority": 5}),
    )
    .await);
    let wid = wh["id"].clone();
    let set = call(&mcp, "admin_set_warehouse_stock", json!({"id": wid, "items": [{"product_id": "0d000000-0000-4000-8005-000000000002", "quantity": 4}]})).await;
    ok(&set);
    let rows = ok(&call(&mcp, "admin_get_warehouse_stock", json!({"id": wid})).await);
    assert_eq!(rows["warehouseStock"][0]["quantity"], 4);
    assert!(rows["warehouseStock"][0]["productName"].is_string());
    let per_product = ok(&call(
        &mcp,
        "admin_get_product_stock",
        json!({"product_id": "0d000000-0000-4000-8005-000000000002"}),
    )
    .await);
    assert!(
        per_product["productStock"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["warehouseCode"] == "ANX")
    );
    let refused = call(&mcp, "admin_delete_warehouse", json!({"id": wid})).await;
    assert_eq!(error_code(&refused), "CONFLICT", "it still holds stock");
    let off = ok(&call(
        &mcp,
        "admin_update_warehouse",
        json!({"id": wid, "name": "Annex", "code": "ANX", "active": false}),
    )
    .await);
    assert_eq!(off["active"], false);
    let got = ok(&call(&mcp, "admin_get_warehouse", json!({"id": wid})).await);
    assert_eq!(got["code"], "ANX");
}

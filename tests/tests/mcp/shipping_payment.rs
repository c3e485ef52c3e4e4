//! The shipping and payment method tools: create with the `price` and `name` conveniences,
//! list, update, delete; a payment configuration goes in and never comes out; the store
//! tools list active methods only.

use serde_json::json;
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok, text};

#[tokio::test(flavor = "multi_thread")]
async fn method_tools_create_list_and_hide_the_configuration() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let mcp = connect(&app, "admin", &admin).await;

    let standard = ok(&call(
        &mcp,
        "admin_create_shipping_method",
        json!({"name": "Standard", "description": "2-3 days", "price": 499}),
    )
    .await);
    assert_eq!(standard["priceNet"], 499);
    assert_eq!(standard["priceGross"], 499);
    assert_eq!(standard["name"], "Standard");
    assert_eq!(standard["translations"].as_array().expect("tr").len(), 1);
    let express = ok(&call(
        &mcp,
        "admin_create_shipping_method",
        json!({"translations": {"de-DE": {"name": "Express"}, "en-US": {"name": "Express"}},
               "price_net": 800, "price_gross": 952, "active": false}),
    )
    .await);
    assert_eq!(express["translations"].as_array().expect("tr").len(), 2);
    let r = call(&mcp, "admin_create_shipping_method", json!({"price": 100})).await;
    assert_eq!(error_code(&r), "VALIDATION_ERROR", "a name is needed");

    let list = ok(&call(&mcp, "admin_list_shipping_methods", json!({})).await);
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["priceGross"], 499);
    let active = ok(&call(
        &mcp,
        "admin_list_shipping_methods",
        json!({"active": false}),
    )
    .await);
    assert_eq!(active["total"], 1);

    let updated = ok(&call(
        &mcp,
        "admin_update_shipping_method",
        json!({"id": express["id"], "active": true}),
    )
    .await);
    assert_eq!(updated["active"], true);
    assert_eq!(updated["priceGross"], 952, "untouched");
    let got = ok(&call(
        &mcp,
        "admin_get_shipping_method",
        json!({"id": standard["id"]}),
    )
    .await);
    assert_eq!(got["description"], "2-3 days");

    let card = ok(&call(
        &mcp,
        "admin_create_payment_method",
        json!({"name": "Card", "provider": "stripe",
               "config": {"secret_key": "sk_mcp_secret_42"}}),
    )
    .await);
    assert_eq!(card["hasConfig"], true);
    assert_eq!(card["isManual"], false);
    let invoice = ok(&call(
        &mcp,
        "admin_create_payment_method",
        json!({"name": "Invoice"}),
    )
    .await);
    assert_eq!(invoice["isManual"], true);
    let payments = call(&mcp, "admin_list_payment_methods", json!({})).await;
    let listed = ok(&payments);
    assert_eq!(listed["total"], 2);
    assert!(!text(&payments).contains("sk_mcp_secret_42"));
    assert!(!text(&payments).contains("secret_key"));
    let updated = ok(&call(
        &mcp,
        "admin_update_payment_method",
        json!({"id": card["id"], "config": null}),
    )
    .await);
    assert_eq!(updated["hasConfig"], false);

    let store = connect(&app, "store", &Auth::None).await;
    let ship = ok(&call(&store, "store_get_shipping_methods", json!({})).await);
    assert_eq!(ship["total"], 2);
    assert_eq!(ship["items"][0]["priceGross"], 499);
    ok(&call(
        &mcp,
        "admin_update_payment_method",
        json!({"id": invoice["id"], "active": false}),
    )
    .await);
    let pay = ok(&call(
        &store,
        "store_get_payment_methods",
        json!({"locale": "en-US"}),
    )
    .await);
    assert_eq!(pay["total"], 1);
    assert_eq!(pay["items"][0]["name"], "Card");

    ok(&call(
        &mcp,
        "admin_delete_shipping_method",
        json!({"id": standard["id"]}),
    )
    .await);
    let r = call(
        &mcp,
        "admin_delete_payment_method",
        json!({"id": standard["id"]}),
    )
    .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    ok(&call(
        &mcp,
        "admin_delete_payment_method",
        json!({"id": card["id"]}),
    )
    .await);
}

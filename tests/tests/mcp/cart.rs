//! `/mcp/store` cart tools: a guest's cart lives in its MCP session (the reference's guest
//! flow failed, §14 bug 9), a signed-in session's cart is the customer's, and carts stay
//! private to their session or customer.

use serde_json::json;
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok};

const LAPTOP: &str = "0d000000-0000-4000-8005-000000000002";
const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
const SHIRT_M: &str = "0d000000-0000-4000-8006-000000000004";

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_session_creates_fills_and_reads_its_cart() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let created = ok(&call(&mcp, "store_create_cart", json!({})).await);
    let cart_id = created["id"].as_str().expect("cart id").to_owned();
    assert_eq!(created["items"], json!([]));

    // No quantity: one unit.
    let added = ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": LAPTOP}),
    )
    .await);
    assert_eq!(added["items"][0]["quantity"], 1);
    let shirt = ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": SHIRT, "variant_id": SHIRT_M, "quantity": 2}),
    )
    .await);
    assert_eq!(shirt["items"].as_array().expect("items").len(), 2);

    let cart = ok(&call(
        &mcp,
        "store_get_cart",
        json!({"cart_id": cart_id, "locale": "en-US"}),
    )
    .await);
    assert_eq!(cart["items"][0]["sku"], "LAPTOP-001");
    assert_eq!(cart["items"][1]["name"], "Basic T-Shirt");
    assert_eq!(cart["totals"]["subtotalGross"], 119_900 + 2 * 2999);
    assert_eq!(cart["totals"]["total"], 119_900 + 2 * 2999);
    let shirt_line = cart["items"][1]["id"].as_str().expect("line").to_owned();

    let updated = ok(&call(
        &mcp,
        "store_update_cart_item",
        json!({"cart_id": cart_id, "item_id": shirt_line, "quantity": 1}),
    )
    .await);
    assert_eq!(updated["items"][1]["quantity"], 1);
    let r = call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": LAPTOP, "quantity": 50}),
    )
    .await;
    assert_eq!(error_code(&r), "INSUFFICIENT_STOCK");
    let removed = ok(&call(
        &mcp,
        "store_remove_from_cart",
        json!({"cart_id": cart_id, "item_id": shirt_line}),
    )
    .await);
    assert_eq!(removed["items"].as_array().expect("items").len(), 1);

    // Another MCP session is another guest: the cart is not theirs.
    let other = connect(&app, "store", &Auth::None).await;
    let r = call(&other, "store_get_cart", json!({"cart_id": cart_id})).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let r = call(
        &other,
        "store_remove_from_cart",
        json!({"cart_id": cart_id, "item_id": shirt_line}),
    )
    .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_session_cart_is_the_customers() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    ok(&call(
        &mcp,
        "store_login",
        json!({"email": "maria@example.com", "password": "Demo1234!"}),
    )
    .await);
    let created = ok(&call(&mcp, "store_create_cart", json!({"currency": "EUR"})).await);
    let cart_id = created["id"].as_str().expect("cart id").to_owned();
    ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": LAPTOP}),
    )
    .await);
    // Maria reads it over REST too; Thomas cannot.
    let maria = app.login("maria@example.com", "Demo1234!").await.access;
    let resp = app
        .http()
        .get(app.url(&format!("/api/v1/store/cart/{cart_id}")))
        .bearer_auth(&maria)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    let thomas = app.login("thomas@example.com", "Demo1234!").await.access;
    let other = connect(&app, "store", &Auth::Bearer(thomas)).await;
    let r = call(&other, "store_get_cart", json!({"cart_id": cart_id})).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
}

//! `store_checkout`: the agent flow of a guest MCP session, from an empty cart to an order
//! paid by a manual method (the reference's guest flow could not get this far, §14 bugs 2, 9),
//! and of a signed-in customer's session whose order the staff then marks paid
//! (`admin_record_payment`).

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok};

const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
const SHIRT_M: &str = "0d000000-0000-4000-8006-000000000004";
const BAG: &str = "0d000000-0000-4000-8005-000000000004";

fn sql(app: &TestApp, query: &str) -> String {
    let out = std::process::Command::new("psql")
        .args([app.db_url.as_str(), "-v", "ON_ERROR_STOP=1", "-tAc", query])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{query}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guest_agent_buys_with_a_manual_method() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    app.gql(
        &admin,
        "mutation { createPaymentMethod(input: {provider: \"\", active: true, translations: [{locale: \"en-US\", name: \"Invoice\"}]}) { id } }",
        json!({}),
    )
    .await
    .ok();

    let mcp = connect(&app, "store", &Auth::None).await;
    let cart = ok(&call(&mcp, "store_create_cart", json!({})).await);
    let cart_id = cart["id"].as_str().expect("cart").to_owned();
    ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": SHIRT, "variant_id": SHIRT_M, "quantity": 2}),
    )
    .await);
    ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": BAG}),
    )
    .await);
    let (express, manual) = methods(&mcp, "Express Shipping").await;
    let shirts = sql(
        &app,
        &format!("SELECT quantity FROM warehouse_stock WHERE variant_id = '{SHIRT_M}'"),
    );

    // Another MCP session cannot check this cart out.
    let stranger = connect(&app, "store", &Auth::None).await;
    let r = call(
        &stranger,
        "store_checkout",
        json!({"cart_id": cart_id, "shipping_method_id": express, "payment_method_id": manual,
               "shipping_address": {"first_name": "Ann", "city": "Berlin"}}),
    )
    .await;
    assert_eq!(error_code(&r), "FORBIDDEN");

    let address = json!({"first_name": "Ann", "last_name": "Lee", "street": "Main 1",
                         "city": "Berlin", "zip": "10115", "country_code": "DE"});
    let placed = ok(&call(
        &mcp,
        "store_checkout",
        json!({"cart_id": cart_id, "shipping_method_id": express, "payment_method_id": manual,
               "shipping_address": address, "email": "ann@example.com",
               "idempotency_key": "agent-attempt-1"}),
    )
    .await);
    let order = &placed["order"];
    assert_eq!(order["status"], "pending");
    assert_eq!(order["isGuestOrder"], true);
    assert_eq!(order["subtotalGross"], 2 * 2999 + 8999);
    assert_eq!(order["shippingCost"], 799);
    assert_eq!(order["total"], 2 * 2999 + 8999 + 799);
    // Billing defaults to shipping; the email is stored with both.
    assert_eq!(order["billingAddress"]["street"], "Main 1");
    assert_eq!(order["billingAddress"]["email"], "ann@example.com");
    assert_eq!(order["shippingAddress"]["email"], "ann@example.com");
    assert_eq!(order["items"].as_array().map(Vec::len), Some(2));
    let token = placed["guestToken"].as_str().expect("guest token");
    assert_eq!(token.len(), 64);
    let id = order["id"].as_str().expect("id").to_owned();
    assert_eq!(
        sql(
            &app,
            &format!("SELECT guest_token FROM orders WHERE id = '{id}'")
        ),
        token
    );
    let left: i64 = sql(
        &app,
        &format!("SELECT quantity FROM warehouse_stock WHERE variant_id = '{SHIRT_M}'"),
    )
    .parse()
    .expect("number");
    assert_eq!(left, shirts.parse::<i64>().expect("number") - 2);

    // The agent retries (say, after a timeout): same order, nothing new.
    let again = ok(&call(
        &mcp,
        "store_checkout",
        json!({"cart_id": cart_id, "shipping_method_id": express, "payment_method_id": manual,
               "shipping_address": address, "idempotency_key": "agent-attempt-1"}),
    )
    .await);
    assert_eq!(again["replayed"], true);
    assert_eq!(again["order"]["id"], Value::String(id));
    // Without the key, the consumed cart is gone.
    let r = call(
        &mcp,
        "store_checkout",
        json!({"cart_id": cart_id, "payment_method_id": manual, "shipping_address": address}),
    )
    .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
}

/// Registers a customer and signs this MCP session in as them; returns their id.
/// The ids of the shipping method called `shipping` and of a manual payment method, as an
/// agent finds them through `store_get_shipping_methods` / `store_get_payment_methods`.
async fn methods(mcp: &crate::support::Mcp, shipping: &str) -> (String, String) {
    let listed = ok(&call(
        mcp,
        "store_get_shipping_methods",
        json!({"locale": "en-US"}),
    )
    .await);
    let ship = listed["items"]
        .as_array()
        .expect("methods")
        .iter()
        .find(|m| m["name"] == shipping)
        .expect("the shipping method")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let payment = ok(&call(mcp, "store_get_payment_methods", json!({})).await);
    let manual = payment["items"]
        .as_array()
        .expect("methods")
        .iter()
        .find(|m| m["isManual"] == true)
        .expect("a manual method")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    (ship, manual)
}

async fn signed_in(mcp: &crate::support::Mcp, email: &str) -> String {
    let registered = ok(&call(
        mcp,
        "store_register",
        json!({"email": email, "password": "agent-password-1", "first_name": "Ada", "last_name": "Agent"}),
    )
    .await);
    ok(&call(
        mcp,
        "store_login",
        json!({"email": email, "password": "agent-password-1"}),
    )
    .await);
    let account = ok(&call(mcp, "store_get_account", json!({})).await);
    assert_eq!(account["id"], registered["id"]);
    registered["id"].as_str().expect("id").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_agent_buys_and_the_staff_records_the_payment() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    app.gql(
        &admin,
        "mutation { createPaymentMethod(input: {provider: \"\", active: true, translations: [{locale: \"en-US\", name: \"Bank transfer\"}]}) { id } }",
        json!({}),
    )
    .await
    .ok();

    let mcp = connect(&app, "store", &Auth::None).await;
    let customer_id = signed_in(&mcp, "ada.agent@example.com").await;
    let cart = ok(&call(&mcp, "store_create_cart", json!({})).await);
    let cart_id = cart["id"].as_str().expect("cart").to_owned();
    ok(&call(
        &mcp,
        "store_add_to_cart",
        json!({"cart_id": cart_id, "product_id": SHIRT, "variant_id": SHIRT_M, "quantity": 1}),
    )
    .await);
    let (standard, manual) = methods(&mcp, "Standard Shipping").await;

    let address = json!({"first_name": "Ada", "last_name": "Agent", "street": "Main 2",
                         "city": "Berlin", "zip": "10115", "country_code": "DE"});
    let placed = ok(&call(
        &mcp,
        "store_checkout",
        json!({"cart_id": cart_id, "shipping_method_id": standard, "payment_method_id": manual,
               "shipping_address": address}),
    )
    .await);
    let order = &placed["order"];
    assert_eq!(order["status"], "pending");
    assert_eq!(order["isGuestOrder"], false);
    assert_eq!(
        placed["guestToken"],
        Value::Null,
        "no guest token for a customer"
    );
    let order_id = order["id"].as_str().expect("id").to_owned();
    let total = order["total"].as_i64().expect("total");
    assert_eq!(
        total,
        2999 + order["shippingCost"].as_i64().expect("shipping")
    );

    let mine = ok(&call(&mcp, "store_list_orders", json!({})).await);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], order_id.as_str());
    assert_eq!(mine["items"][0]["customerId"], customer_id.as_str());
    assert_eq!(mine["items"][0]["paymentStatus"], "pending");

    // Another customer's session does not see it.
    let other = connect(&app, "store", &Auth::None).await;
    signed_in(&other, "bob.agent@example.com").await;
    let theirs = ok(&call(&other, "store_list_orders", json!({})).await);
    assert_eq!(theirs["total"], 0);
    assert_eq!(theirs["items"], json!([]));

    // The bank transfer arrives; the staff's agent records it.
    let staff = connect(&app, "admin", &admin).await;
    let over = call(
        &staff,
        "admin_record_payment",
        json!({"order_id": order_id, "amount": total + 1, "status": "completed"}),
    )
    .await;
    assert_eq!(error_code(&over), "VALIDATION_ERROR");
    let tx = ok(&call(
        &staff,
        "admin_record_payment",
        json!({"order_id": order_id, "amount": total, "status": "completed",
               "provider_reference": "SEPA-0001"}),
    )
    .await);
    assert_eq!(tx["orderId"], order_id.as_str());
    assert_eq!(tx["status"], "completed");
    assert_eq!(tx["paymentMethodId"], manual.as_str());
    assert_eq!(tx["currency"], "EUR");
    let listed = ok(&call(
        &staff,
        "admin_list_order_transactions",
        json!({"order_id": order_id}),
    )
    .await);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], tx["id"]);
    assert_eq!(listed["items"][0]["providerReference"], "SEPA-0001");
    let refunded = ok(&call(
        &staff,
        "admin_set_payment_status",
        json!({"transaction_id": tx["id"], "status": "refunded", "order_id": order_id}),
    )
    .await);
    assert_eq!(refunded["status"], "refunded");
    let back = call(
        &staff,
        "admin_set_payment_status",
        json!({"transaction_id": tx["id"], "status": "completed"}),
    )
    .await;
    assert_eq!(error_code(&back), "CONFLICT");

    // The customer's agent sees the payment on the order.
    let mine = ok(&call(&mcp, "store_list_orders", json!({})).await);
    assert_eq!(mine["items"][0]["paymentStatus"], "refunded");
    let detail = app
        .gql(
            &admin,
            "query($id: UUID!) { order(id: $id) { customerId transactions { id status amount } } }",
            json!({"id": order_id}),
        )
        .await
        .ok();
    assert_eq!(detail.data("order.customerId"), customer_id.as_str());
    let txs = detail.data("order.transactions");
    assert_eq!(txs.as_array().map(Vec::len), Some(1), "{txs}");
    assert_eq!(txs[0]["status"], "refunded");
    assert_eq!(txs[0]["amount"], total);
}

//! Checkout over REST and GraphQL: the reference's shopping flow as a guest and as a customer,
//! server-side prices, the payment rule with manual methods, discounts, refusals that leave
//! nothing behind, and the `order_guard` plugin's hooks.

use std::sync::Arc;

use crate::catalog_admin::keys;
use serde_json::{Value, json};
use stoa_plugin_order_guard::{OrderGuard, SeenOrder};
use stoa_tests::{Auth, TestApp};

pub const LAPTOP: &str = "0d000000-0000-4000-8005-000000000002";
pub const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
pub const SHIRT_S: &str = "0d000000-0000-4000-8006-000000000003";
pub const BAG: &str = "0d000000-0000-4000-8005-000000000004";
pub const COFFEE: &str = "0d000000-0000-4000-8005-000000000005";
pub const STANDARD: &str = "0d000000-0000-4000-800a-000000000001";
/// A provider method of the demo data (`credit_card`).
pub const CARD: &str = "0d000000-0000-4000-800b-000000000002";
const MARIA: &str = "0d000000-0000-4000-800c-000000000001";

/// A REST response: status, `Set-Cookie` headers, JSON body.
pub struct Resp {
    pub status: u16,
    pub cookies: Vec<String>,
    pub body: Value,
}

/// One REST call with optional `X-Session-ID` and `Idempotency-Key`.
pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    auth: &Auth,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Resp {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.http().request(method, app.url(path));
    if let Auth::Bearer(t) = auth {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let cookies = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .filter(|c| !c.starts_with("csrf_token"))
        .collect();
    let text = resp.text().await.expect("body");
    Resp {
        status,
        cookies,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// One value from the app's database (`psql -tA`).
pub fn sql(app: &TestApp, query: &str) -> String {
    let out = std::process::Command::new("psql")
        .args([app.db_url.as_str(), "-v", "ON_ERROR_STOP=1", "-tAc", query])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{query}: {out:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

pub fn code(r: &Resp) -> (&str, &str) {
    (
        r.body["errors"][0]["code"].as_str().unwrap_or(""),
        r.body["errors"][0]["detail"].as_str().unwrap_or(""),
    )
}

pub fn address() -> Value {
    json!({"first_name": "Ann", "last_name": "Lee", "street": "Main 1", "city": "Berlin",
           "zip": "10115", "country_code": "DE", "email": "ann@example.com"})
}

/// A manual payment method (no provider), active; returns its id.
pub async fn manual_method(app: &TestApp) -> String {
    let admin = app.staff("admin").await;
    let r = call(
        app,
        "POST",
        "/api/v1/admin/payment-methods",
        &admin,
        &[],
        Some(json!({"active": true, "translations": [{"locale": "en-US", "name": "Invoice"}]})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["data"]["id"].as_str().expect("id").to_owned()
}

pub fn stock_of(app: &TestApp, product: &str, variant: Option<&str>) -> i64 {
    let v = variant.map_or("IS NULL".to_owned(), |v| format!("= '{v}'"));
    sql(
        app,
        &format!(
            "SELECT COALESCE(SUM(quantity), 0) FROM warehouse_stock WHERE product_id = '{product}' AND variant_id {v}"
        ),
    )
    .parse()
    .expect("number")
}

pub fn order_count(app: &TestApp) -> i64 {
    sql(app, "SELECT COUNT(*) FROM orders")
        .parse()
        .expect("number")
}

#[tokio::test(flavor = "multi_thread")]
async fn guest_shopping_flow_over_rest() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let manual = manual_method(&app).await;
    let guest = [("x-session-id", "guest-session-1")];
    let cart = call(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        &guest,
        Some(json!({})),
    )
    .await;
    assert_eq!(cart.status, 201, "{}", cart.body);
    let cart_id = cart.body["data"]["id"].as_str().expect("cart").to_owned();
    let added = call(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{cart_id}/items"),
        &Auth::None,
        &guest,
        Some(json!({"product_id": SHIRT, "variant_id": SHIRT_S, "quantity": 2})),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let shipping = call(
        &app,
        "GET",
        "/api/v1/store/shipping-methods",
        &Auth::None,
        &[],
        None,
    )
    .await;
    assert_eq!(
        shipping.body["data"][1]["id"], STANDARD,
        "{}",
        shipping.body
    );
    let payment = call(
        &app,
        "GET",
        "/api/v1/store/payment-methods",
        &Auth::None,
        &[],
        None,
    )
    .await;
    assert!(
        payment.body["data"]
            .as_array()
            .expect("methods")
            .iter()
            .any(|m| m["id"] == manual.as_str()),
        "{}",
        payment.body
    );
    let stock_before = stock_of(&app, SHIRT, Some(SHIRT_S));

    // Another guest cannot check this cart out.
    let other = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &[("x-session-id", "someone-else")],
        Some(
            json!({"cart_id": cart_id, "billing_address": address(), "shipping_address": address(),
                    "shipping_method_id": STANDARD, "payment_method_id": manual}),
        ),
    )
    .await;
    assert_eq!(other.status, 403, "{}", other.body);

    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &guest,
        Some(
            json!({"cart_id": cart_id, "currency": "EUR", "billing_address": address(),
                    "shipping_address": address(), "shipping_method_id": STANDARD,
                    "payment_method_id": manual, "notes": "ring twice"}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let o = &r.body["data"];
    assert_eq!(
        keys(o),
        [
            "id",
            "order_number",
            "is_guest_order",
            "status",
            "currency",
            "subtotal_net",
            "subtotal_gross",
            "shipping_cost",
            "tax_total",
            "total",
            "billing_address",
            "shipping_address",
            "payment_method_id",
            "shipping_method_id",
            "notes",
            "created_at",
            "updated_at",
            "items",
        ]
    );
    assert_eq!(o["is_guest_order"], true);
    assert_eq!(o["status"], "pending");
    assert!(
        o["order_number"]
            .as_str()
            .expect("number")
            .starts_with("ORD-")
    );
    assert_eq!(
        (
            &o["subtotal_net"],
            &o["subtotal_gross"],
            &o["shipping_cost"],
            &o["tax_total"],
            &o["total"]
        ),
        (
            &json!(5042),
            &json!(5998),
            &json!(399),
            &json!(956),
            &json!(6397)
        )
    );
    // Free-form address keys are kept as sent.
    assert_eq!(o["billing_address"]["first_name"], "Ann");
    let item = &o["items"][0];
    assert_eq!(
        keys(item),
        [
            "id",
            "order_id",
            "product_id",
            "variant_id",
            "sku",
            "name",
            "quantity",
            "unit_price_net",
            "unit_price_gross",
            "total_net",
            "total_gross",
            "tax_rate",
        ]
    );
    assert_eq!(
        (&item["sku"], &item["name"]),
        (&json!("SHIRT-001-S"), &json!("T-Shirt Basic"))
    );
    assert_eq!(
        (&item["quantity"], &item["tax_rate"]),
        (&json!(2), &json!(1900))
    );

    // The guest token: in the cookie, not in the body, stored on the order.
    assert_eq!(r.cookies.len(), 1, "{:?}", r.cookies);
    let cookie = &r.cookies[0];
    let token = cookie
        .strip_prefix("stoa_guest_token=")
        .and_then(|c| c.split(';').next())
        .expect("token");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        &cookie[64 + "stoa_guest_token=".len()..],
        "; Path=/api/v1/store; Max-Age=2592000; HttpOnly; SameSite=Lax"
    );
    let id = o["id"].as_str().expect("id");
    assert_eq!(
        sql(
            &app,
            &format!("SELECT guest_token FROM orders WHERE id = '{id}'")
        ),
        token
    );
    // The token opens the guest's order transactions.
    let tx = app
        .http()
        .get(app.url(&format!("/api/v1/store/orders/{id}/transactions")))
        .header("cookie", format!("stoa_guest_token={token}"))
        .send()
        .await
        .expect("send");
    assert_eq!(tx.status().as_u16(), 200);

    // Stock taken in the same transaction; the cart is consumed; history starts at creation.
    assert_eq!(stock_of(&app, SHIRT, Some(SHIRT_S)), stock_before - 2);
    let gone = call(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{cart_id}"),
        &Auth::None,
        &guest,
        None,
    )
    .await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        sql(
            &app,
            &format!(
                "SELECT from_status || '>' || to_status FROM order_status_history WHERE order_id = '{id}'"
            )
        ),
        ">pending"
    );
    assert_eq!(
        sql(
            &app,
            &format!(
                "SELECT COUNT(*) FROM domain_events WHERE kind = 'order.created' AND entity_id = '{id}'"
            )
        ),
        "1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn items_checkout_ignores_client_prices_and_secure_cookies_are_secure() {
    let app = TestApp::with_config(|c| c.security.csrf.secure = true).await;
    app.seed_demo().await;
    // The reference's §4.4 request, with a provider method and its reference; client prices,
    // names and tax rates are ignored.
    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &[],
        Some(
            json!({"currency": "EUR", "billing_address": address(), "shipping_address": address(),
                    "shipping_method_id": STANDARD, "payment_method_id": CARD,
                    "payment_reference": "pi_123", "email": "ignored-here@example.com",
                    "items": [{"product_id": SHIRT, "variant_id": SHIRT_S, "quantity": 2,
                               "sku": "FAKE", "name": "Free shirt", "unit_price_net": 1,
                               "unit_price_gross": 1.5, "tax_rate": 0}]}),
        ),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let o = &r.body["data"];
    assert_eq!(
        (&o["total"], &o["payment_reference"]),
        (&json!(6397), &json!("pi_123"))
    );
    assert_eq!(o["items"][0]["unit_price_gross"], 2999);
    assert_eq!(o["items"][0]["sku"], "SHIRT-001-S");
    // The address had an email: kept.
    assert_eq!(o["billing_address"]["email"], "ann@example.com");
    assert!(
        r.cookies[0].ends_with("; SameSite=Lax; Secure"),
        "{:?}",
        r.cookies
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_flow_account_orders_and_admin_confirmation() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let manual = manual_method(&app).await;
    let login = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        &Auth::None,
        &[],
        Some(json!({"email": "maria@example.com", "password": "Demo1234!"})),
    )
    .await;
    let maria = Auth::Bearer(
        login.body["data"]["access_token"]
            .as_str()
            .expect("token")
            .to_owned(),
    );
    let cart = call(
        &app,
        "POST",
        "/api/v1/store/cart",
        &maria,
        &[],
        Some(json!({})),
    )
    .await;
    let cart_id = cart.body["data"]["id"].as_str().expect("cart").to_owned();
    let added = call(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{cart_id}/items"),
        &maria,
        &[],
        Some(json!({"product_id": LAPTOP})),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    // Thomas cannot check Maria's cart out.
    let thomas = Auth::Bearer(app.login("thomas@example.com", "Demo1234!").await.access);
    let body = json!({"cart_id": cart_id, "billing_address": address(), "shipping_address": address(),
                      "payment_method_id": manual});
    let stolen = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &thomas,
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(stolen.status, 403, "{}", stolen.body);

    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &maria,
        &[],
        Some(body),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.cookies.is_empty(), "{:?}", r.cookies);
    let o = &r.body["data"];
    assert_eq!(o["customer_id"], MARIA);
    assert!(o.get("is_guest_order").is_none());
    assert_eq!(
        (&o["shipping_cost"], &o["total"]),
        (&json!(0), &json!(119_900))
    );
    let id = o["id"].as_str().expect("id").to_owned();
    assert_eq!(
        sql(
            &app,
            &format!("SELECT guest_token IS NULL FROM orders WHERE id = '{id}'")
        ),
        "t"
    );

    let mine = call(
        &app,
        "GET",
        "/api/v1/store/account/orders",
        &maria,
        &[],
        None,
    )
    .await;
    assert_eq!(mine.status, 200);
    let listed: Vec<&Value> = mine.body["data"]
        .as_array()
        .expect("orders")
        .iter()
        .filter(|x| x["id"] == id.as_str())
        .collect();
    assert_eq!(listed.len(), 1, "{}", mine.body);
    assert_eq!(listed[0]["items"][0]["sku"], "LAPTOP-001");
    let theirs = call(
        &app,
        "GET",
        "/api/v1/store/account/orders",
        &thomas,
        &[],
        None,
    )
    .await;
    assert!(!theirs.body.to_string().contains(&id));

    let admin = app.staff("admin").await;
    let confirmed = call(
        &app,
        "PUT",
        &format!("/api/v1/admin/orders/{id}/status"),
        &admin,
        &[],
        Some(json!({"status": "confirmed", "comment": "paid by invoice"})),
    )
    .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(confirmed.body["data"]["status"], "confirmed");
    let detail = call(
        &app,
        "GET",
        &format!("/api/v1/admin/orders/{id}"),
        &admin,
        &[],
        None,
    )
    .await;
    let history: Vec<String> = detail.body["data"]["status_history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            format!(
                "{}>{}",
                h["from_status"].as_str().unwrap_or(""),
                h["to_status"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        history,
        [">pending", "pending>confirmed"],
        "{}",
        detail.body
    );
}

const GQL_CHECKOUT: &str = "mutation($i: CheckoutInput!, $k: String) { checkout(input: $i, idempotencyKey: $k) {
    guestToken replayed order { id status subtotalGross discountCode discountTotal shippingCost taxTotal total
    isGuestOrder items { sku name quantity unitPriceGross } } } }";

fn gql_input(items: Value) -> Value {
    json!({"billingAddress": address(), "shippingAddress": address(), "shippingMethodId": STANDARD,
           "paymentMethodId": CARD, "paymentReference": "pi_gql", "items": items})
}

#[tokio::test(flavor = "multi_thread")]
async fn graphql_checkout_applies_and_redeems_a_discount_code() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let before = order_count(&app);
    let mut input = gql_input(json!([{"productId": SHIRT, "variantId": SHIRT_S, "quantity": 2}]));
    input["discountCode"] = json!("demo10");
    input["locale"] = json!("en-US");
    let r = app
        .gql(&Auth::None, GQL_CHECKOUT, json!({"i": input}))
        .await
        .ok();
    let o = r.data("checkout.order");
    // 10 % of 5998 = 600; the discount takes its share of the tax (956 × 600 / 5998 → 96).
    assert_eq!(o["discountCode"], "DEMO10");
    assert_eq!(o["discountTotal"], 600);
    assert_eq!(o["taxTotal"], 956 - 96);
    assert_eq!(o["total"], 5998 - 600 + 399);
    assert_eq!(o["items"][0]["name"], "Basic T-Shirt");
    assert_eq!(o["isGuestOrder"], true);
    assert_eq!(
        r.data("checkout.guestToken").as_str().map(str::len),
        Some(64)
    );
    assert_eq!(r.data("checkout.replayed"), false);
    assert_eq!(
        sql(
            &app,
            "SELECT used_count FROM discounts WHERE code = 'DEMO10'"
        ),
        "1"
    );

    // A code that does not apply is refused with its code, nothing written.
    let mut input = gql_input(json!([{"productId": SHIRT, "variantId": SHIRT_S, "quantity": 1}]));
    input["discountCode"] = json!("SOMMER20");
    let r = app
        .gql(&Auth::None, GQL_CHECKOUT, json!({"i": input}))
        .await;
    assert_eq!(r.code(), "DISCOUNT_MIN_ORDER_VALUE", "{}", r.body);
    assert_eq!(order_count(&app), before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_payment_rule_and_method_checks() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let manual = manual_method(&app).await;
    let before = order_count(&app);
    let checkout = |extra: Value| {
        let mut body = json!({"billing_address": address(), "shipping_address": address(),
                              "items": [{"product_id": BAG, "quantity": 1}]});
        if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
            b.extend(e);
        }
        call(
            &app,
            "POST",
            "/api/v1/store/checkout",
            &Auth::None,
            &[],
            Some(body),
        )
    };
    // Manual method: no reference needed.
    let r = checkout(json!({"payment_method_id": manual})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["data"].get("payment_reference").is_none());
    // Provider method without a reference.
    let r = checkout(json!({"payment_method_id": CARD})).await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "payment_reference_required"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "payment_reference");
    // Active methods exist: one is required.
    let r = checkout(json!({})).await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "payment_method_required"),
        "{}",
        r.body
    );
    // Unknown and inactive methods.
    let r = checkout(json!({"payment_method_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "invalid_payment_method"),
        "{}",
        r.body
    );
    sql(
        &app,
        &format!("UPDATE payment_methods SET active = FALSE WHERE id = '{manual}'"),
    );
    let r = checkout(json!({"payment_method_id": manual})).await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "invalid_payment_method"),
        "{}",
        r.body
    );
    let r = checkout(
        json!({"payment_method_id": CARD, "payment_reference": "pi_1",
                            "shipping_method_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "invalid_shipping_method"),
        "{}",
        r.body
    );
    // Input checks read like the reference's validator.
    let r = checkout(
        json!({"billing_address": null, "payment_method_id": CARD, "payment_reference": "x"}),
    )
    .await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "validation_error"),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "BillingAddress");
    let r = checkout(
        json!({"items": [{"quantity": 1}], "payment_method_id": CARD, "payment_reference": "x"}),
    )
    .await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "missing_product_id"),
        "{}",
        r.body
    );
    let r =
        checkout(json!({"items": [], "payment_method_id": CARD, "payment_reference": "x"})).await;
    assert_eq!(
        (r.status, code(&r).0),
        (422, "validation_error"),
        "{}",
        r.body
    );
    // GraphQL: the same rule with the closed codes.
    let mut input = gql_input(json!([{"productId": BAG, "quantity": 1}]));
    input["paymentReference"] = Value::Null;
    let r = app
        .gql(&Auth::None, GQL_CHECKOUT, json!({"i": input}))
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"],
        "paymentReference"
    );
    // Only the manual checkout placed an order.
    assert_eq!(order_count(&app), before + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn inactive_products_and_insufficient_stock_leave_nothing_behind() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let before = order_count(&app);
    sql(
        &app,
        &format!("UPDATE products SET active = FALSE WHERE id = '{BAG}'"),
    );
    let body = |items: Value| {
        json!({"billing_address": address(), "shipping_address": address(), "payment_method_id": CARD,
               "payment_reference": "pi_x", "discount_code": "DEMO10", "items": items})
    };
    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &[],
        Some(body(json!([{"product_id": BAG, "quantity": 1}]))),
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (422, ("invalid_product", "product or variant not found")),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["field"], "items");
    // A product with variants needs one; a variant of another product is unknown.
    for items in [
        json!([{"product_id": SHIRT, "quantity": 1}]),
        json!([{"product_id": LAPTOP, "variant_id": SHIRT_S, "quantity": 1}]),
        json!([{"product_id": uuid::Uuid::now_v7(), "quantity": 1}]),
    ] {
        let r = call(
            &app,
            "POST",
            "/api/v1/store/checkout",
            &Auth::None,
            &[],
            Some(body(items)),
        )
        .await;
        assert_eq!(
            (r.status, code(&r).0),
            (422, "invalid_product"),
            "{}",
            r.body
        );
    }

    // 16 coffee machines, 15 in stock: the order, the history, the discount use and the
    // stock of the other line all roll back.
    let coffee = stock_of(&app, COFFEE, None);
    let laptops = stock_of(&app, LAPTOP, None);
    let used = sql(
        &app,
        "SELECT used_count FROM discounts WHERE code = 'DEMO10'",
    );
    let events = sql(&app, "SELECT COUNT(*) FROM domain_events");
    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &[],
        Some(body(
            json!([{"product_id": LAPTOP, "quantity": 1}, {"product_id": COFFEE, "quantity": 16}]),
        )),
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (
            422,
            ("insufficient_stock", "one or more items are out of stock")
        ),
        "{}",
        r.body
    );
    assert_eq!(order_count(&app), before);
    assert_eq!(stock_of(&app, COFFEE, None), coffee);
    assert_eq!(stock_of(&app, LAPTOP, None), laptops);
    assert_eq!(
        sql(
            &app,
            "SELECT used_count FROM discounts WHERE code = 'DEMO10'"
        ),
        used
    );
    assert_eq!(sql(&app, "SELECT COUNT(*) FROM domain_events"), events);
    // GraphQL says INSUFFICIENT_STOCK.
    let r = app
        .gql(
            &Auth::None,
            GQL_CHECKOUT,
            json!({"i": gql_input(json!([{"productId": COFFEE, "quantity": 16}]))}),
        )
        .await;
    assert_eq!(r.code(), "INSUFFICIENT_STOCK");
    // 15 are fine.
    let r = app
        .gql(
            &Auth::None,
            GQL_CHECKOUT,
            json!({"i": gql_input(json!([{"productId": COFFEE, "quantity": 15}]))}),
        )
        .await
        .ok();
    assert_eq!(r.data("checkout.order.status"), "pending");
    assert_eq!(stock_of(&app, COFFEE, None), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn order_guard_rejects_large_orders_and_sees_committed_ones() {
    let guard = OrderGuard::default();
    let app = TestApp::with_plugins(vec![Arc::new(guard.clone())], |c| {
        c.plugins
            .insert("order_guard".into(), json!({"max_total": 100_000}));
    })
    .await;
    app.seed_demo().await;
    let before = order_count(&app);
    let laptop = json!({"billing_address": address(), "shipping_address": address(),
                        "payment_method_id": CARD, "payment_reference": "pi_big",
                        "items": [{"product_id": LAPTOP, "quantity": 1}]});
    let r = call(
        &app,
        "POST",
        "/api/v1/store/checkout",
        &Auth::None,
        &[],
        Some(laptop),
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (
            422,
            (
                "checkout_rejected",
                "orders above 100000 are not accepted (this one is 119900)"
            )
        ),
        "{}",
        r.body
    );
    let r = app
        .gql(
            &Auth::None,
            GQL_CHECKOUT,
            json!({"i": gql_input(json!([{"productId": LAPTOP, "quantity": 1}]))}),
        )
        .await;
    assert_eq!(r.code(), "REJECTED");
    assert_eq!(order_count(&app), before);
    assert_eq!(stock_of(&app, LAPTOP, None), 20);
    assert!(guard.seen().is_empty());

    let r = app
        .gql(
            &Auth::None,
            GQL_CHECKOUT,
            json!({"i": gql_input(json!([{"productId": BAG, "quantity": 1}]))}),
        )
        .await
        .ok();
    let id = r.data("checkout.order.id").as_str().expect("id").to_owned();
    let number = sql(
        &app,
        &format!("SELECT order_number FROM orders WHERE id = '{id}'"),
    );
    assert_eq!(
        guard.seen(),
        [SeenOrder {
            order_number: number,
            status: "pending".into()
        }]
    );
}

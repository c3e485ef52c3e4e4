//! Store carts over REST and GraphQL: the reference's shapes with server-side prices and
//! totals, guest and customer ownership (no cross-cart item access), stock and product checks,
//! discount codes and the shipping estimate.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

const LAPTOP: &str = "0d000000-0000-4000-8005-000000000002";
const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
const SHIRT_S: &str = "0d000000-0000-4000-8006-000000000003";
const PHONE_BLACK: &str = "0d000000-0000-4000-8006-000000000001";
const COFFEE: &str = "0d000000-0000-4000-8005-000000000005";
const BAG: &str = "0d000000-0000-4000-8005-000000000004";

/// One REST call: method, path, credentials, `X-Session-ID`, JSON body (raw when a string).
async fn rest(
    app: &TestApp,
    method: &str,
    path: &str,
    auth: &Auth,
    session: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.http().request(method, app.url(path));
    match auth {
        Auth::Bearer(t) => req = req.bearer_auth(t),
        Auth::None => {}
        other => panic!("unused auth {other:?}"),
    }
    if let Some(s) = session {
        req = req.header("x-session-id", s);
    }
    match body {
        Some(Value::String(raw)) => {
            req = req.header("content-type", "application/json").body(raw);
        }
        Some(b) => req = req.json(&b),
        None => {}
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn psql(app: &TestApp, sql: &str) {
    let out = std::process::Command::new("psql")
        .args([app.db_url.as_str(), "-v", "ON_ERROR_STOP=1", "-tAc", sql])
        .output()
        .expect("psql");
    assert!(out.status.success(), "{sql}: {out:?}");
}

fn error(body: &Value) -> (&str, &str) {
    (
        body["errors"][0]["code"].as_str().unwrap_or(""),
        body["errors"][0]["detail"].as_str().unwrap_or(""),
    )
}

async fn maria(app: &TestApp) -> Auth {
    Auth::Bearer(app.login("maria@example.com", "Demo1234!").await.access)
}

async fn thomas(app: &TestApp) -> Auth {
    Auth::Bearer(app.login("thomas@example.com", "Demo1234!").await.access)
}

#[tokio::test(flavor = "multi_thread")]
async fn guest_cart_over_rest_with_prices_totals_and_accumulation() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let s = Some("s-123");
    let (st, created) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        s,
        Some(json!({"currency": "EUR", "session_id": "s-123"})),
    )
    .await;
    assert_eq!(st, 201, "{created}");
    let cart = &created["data"];
    let keys: Vec<&String> = cart.as_object().expect("cart").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "session_id",
            "currency",
            "created_at",
            "items",
            "totals"
        ]
    );
    assert_eq!(cart["items"], json!([]));
    assert_eq!(cart["session_id"], "s-123");
    let id = cart["id"].as_str().expect("id").to_owned();
    let items = format!("/api/v1/store/cart/{id}/items");

    let (st, added) = rest(
        &app,
        "POST",
        &items,
        &Auth::None,
        s,
        Some(json!({"product_id": SHIRT, "variant_id": SHIRT_S, "quantity": 2})),
    )
    .await;
    assert_eq!(st, 201, "{added}");
    let line = &added["data"]["items"][0];
    let keys: Vec<&String> = line.as_object().expect("line").keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "cart_id",
            "product_id",
            "variant_id",
            "quantity",
            "sku",
            "name",
            "unit_price_net",
            "unit_price_gross",
            "total_net",
            "total_gross",
            "tax_rate"
        ]
    );
    assert_eq!(line["cart_id"], id.as_str());
    assert_eq!(line["sku"], "SHIRT-001-S");
    assert_eq!(line["name"], "T-Shirt Basic");
    assert_eq!(
        (
            line["total_net"].as_i64(),
            line["total_gross"].as_i64(),
            line["tax_rate"].as_i64()
        ),
        (Some(5042), Some(5998), Some(1900))
    );
    // The demo's cheapest active shipping method is free.
    assert_eq!(
        added["data"]["totals"],
        json!({"subtotal_net": 5042, "subtotal_gross": 5998, "discount_total": 0, "shipping_estimate": 0, "tax_total": 956, "total": 5998})
    );
    let item_id = line["id"].as_str().expect("item id").to_owned();

    // The same line again adds up on the one line.
    let (st, again) = rest(
        &app,
        "POST",
        &items,
        &Auth::None,
        s,
        Some(json!({"product_id": SHIRT, "variant_id": SHIRT_S, "quantity": 1})),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(again["data"]["items"].as_array().expect("items").len(), 1);
    assert_eq!(again["data"]["items"][0]["id"], item_id.as_str());
    assert_eq!(again["data"]["items"][0]["quantity"], 3);
    assert_eq!(again["data"]["totals"]["subtotal_gross"], 8997);
    // Without quantity, one unit (the reference answered 400).
    let (st, one) = rest(
        &app,
        "POST",
        &items,
        &Auth::None,
        s,
        Some(json!({"product_id": LAPTOP})),
    )
    .await;
    assert_eq!(st, 201, "{one}");
    assert_eq!(one["data"]["items"][1]["quantity"], 1);
    assert!(one["data"]["items"][1].get("variant_id").is_none());

    let (st, got) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{id}"),
        &Auth::None,
        s,
        None,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(got["data"]["totals"]["subtotal_gross"], 8997 + 119_900);

    // Guests without the session id, or with another, are refused.
    for session in [None, Some("s-124")] {
        let (st, body) = rest(
            &app,
            "GET",
            &format!("/api/v1/store/cart/{id}"),
            &Auth::None,
            session,
            None,
        )
        .await;
        assert_eq!(
            (st, error(&body)),
            (403, ("forbidden", "you do not have access to this cart"))
        );
        let (st, _) = rest(
            &app,
            "DELETE",
            &format!("{items}/{item_id}"),
            &Auth::None,
            session,
            None,
        )
        .await;
        assert_eq!(st, 403);
    }

    let (st, updated) = rest(
        &app,
        "PUT",
        &format!("{items}/{item_id}"),
        &Auth::None,
        s,
        Some(json!({"quantity": 1})),
    )
    .await;
    assert_eq!(st, 200, "{updated}");
    assert_eq!(updated["data"]["items"][0]["quantity"], 1);
    assert_eq!(updated["data"]["totals"]["subtotal_gross"], 2999 + 119_900);
    let (st, removed) = rest(
        &app,
        "DELETE",
        &format!("{items}/{item_id}"),
        &Auth::None,
        s,
        None,
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(removed["data"]["items"].as_array().expect("items").len(), 1);
    let (st, body) = rest(
        &app,
        "DELETE",
        &format!("{items}/{item_id}"),
        &Auth::None,
        s,
        None,
    )
    .await;
    assert_eq!(
        (st, error(&body)),
        (404, ("not_found", "cart item not found"))
    );

    // Without a session id a guest cart gets a random one, returned to the guest.
    let (st, random) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(
        random["data"]["session_id"]
            .as_str()
            .expect("session")
            .len(),
        64
    );
    assert_eq!(random["data"]["currency"], "EUR");
    // The header serves as the session id too.
    let (_, from_header) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        Some("hdr-1"),
        Some(json!({})),
    )
    .await;
    assert_eq!(from_header["data"]["session_id"], "hdr-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_cannot_touch_each_others_carts_nor_lines_of_other_carts() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let (maria, thomas) = (maria(&app).await, thomas(&app).await);
    let (st, a) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &maria,
        None,
        Some(json!({})),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(
        a["data"]["customer_id"],
        "0d000000-0000-4000-800c-000000000001"
    );
    let a_id = a["data"]["id"].as_str().expect("id").to_owned();
    let (_, a) = rest(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{a_id}/items"),
        &maria,
        None,
        Some(json!({"product_id": BAG, "quantity": 1})),
    )
    .await;
    let a_item = a["data"]["items"][0]["id"]
        .as_str()
        .expect("item")
        .to_owned();
    let a_session = a["data"]["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Thomas can neither read nor change Maria's cart (REST and GraphQL).
    let (st, body) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{a_id}"),
        &thomas,
        None,
        None,
    )
    .await;
    assert_eq!((st, error(&body).0), (403, "forbidden"));
    let (st, _) = rest(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{a_id}/items"),
        &thomas,
        None,
        Some(json!({"product_id": BAG})),
    )
    .await;
    assert_eq!(st, 403);
    let (st, _) = rest(
        &app,
        "PUT",
        &format!("/api/v1/store/cart/{a_id}/items/{a_item}"),
        &thomas,
        None,
        Some(json!({"quantity": 5})),
    )
    .await;
    assert_eq!(st, 403);
    let (st, _) = rest(
        &app,
        "DELETE",
        &format!("/api/v1/store/cart/{a_id}/items/{a_item}"),
        &thomas,
        None,
        None,
    )
    .await;
    assert_eq!(st, 403);
    let r = app
        .gql(
            &thomas,
            "query($id: UUID!) { cart(id: $id) { id } }",
            json!({"id": a_id}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    let r = app
        .gql(
            &thomas,
            "mutation($id: UUID!) { applyCartDiscount(cartId: $id, code: \"DEMO10\") { id } }",
            json!({"id": a_id}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    // Nor can a guest, whatever session id it presents.
    let (st, _) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{a_id}"),
        &Auth::None,
        Some(&a_session),
        None,
    )
    .await;
    assert_eq!(st, 403);

    // Maria's second cart: its line id used on the first cart is not found, for her too.
    let (_, b) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &maria,
        None,
        Some(json!({})),
    )
    .await;
    let b_id = b["data"]["id"].as_str().expect("id").to_owned();
    let (_, b) = rest(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{b_id}/items"),
        &maria,
        None,
        Some(json!({"product_id": LAPTOP, "quantity": 2})),
    )
    .await;
    let b_item = b["data"]["items"][0]["id"]
        .as_str()
        .expect("item")
        .to_owned();
    let (st, body) = rest(
        &app,
        "PUT",
        &format!("/api/v1/store/cart/{a_id}/items/{b_item}"),
        &maria,
        None,
        Some(json!({"quantity": 1})),
    )
    .await;
    assert_eq!(
        (st, error(&body)),
        (404, ("not_found", "cart item not found"))
    );
    let (st, _) = rest(
        &app,
        "DELETE",
        &format!("/api/v1/store/cart/{a_id}/items/{b_item}"),
        &maria,
        None,
        None,
    )
    .await;
    assert_eq!(st, 404);
    let r = app
        .gql(
            &maria,
            "mutation($c: UUID!, $i: UUID!) { removeCartItem(cartId: $c, itemId: $i) { id } }",
            json!({"c": a_id, "i": b_item}),
        )
        .await;
    assert_eq!(r.code(), "NOT_FOUND");
    let (_, b) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{b_id}"),
        &maria,
        None,
        None,
    )
    .await;
    assert_eq!(
        b["data"]["items"][0]["quantity"], 2,
        "the other cart's line is untouched"
    );
    let (_, a) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{a_id}"),
        &maria,
        None,
        None,
    )
    .await;
    assert_eq!(a["data"]["items"].as_array().expect("items").len(), 1);
    // An unknown cart is not found.
    let (st, body) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{}", uuid::Uuid::now_v7()),
        &maria,
        None,
        None,
    )
    .await;
    assert_eq!((st, error(&body)), (404, ("not_found", "cart not found")));
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_checks_stock_products_and_input() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let s = Some("stock-1");
    let (_, c) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        s,
        Some(json!({})),
    )
    .await;
    let id = c["data"]["id"].as_str().expect("id").to_owned();
    let items = format!("/api/v1/store/cart/{id}/items");
    let add = |body: Value| {
        let app = &app;
        let items = items.clone();
        async move { rest(app, "POST", &items, &Auth::None, s, Some(body)).await }
    };
    // 20 laptops in stock: 21 is refused, 20 pass, one more is refused (existing + new).
    let (st, body) = add(json!({"product_id": LAPTOP, "quantity": 21})).await;
    assert_eq!(
        (st, error(&body)),
        (
            422,
            (
                "insufficient_stock",
                "requested quantity exceeds available stock"
            )
        )
    );
    let (st, _) = add(json!({"product_id": LAPTOP, "quantity": 20})).await;
    assert_eq!(st, 201);
    let (st, body) = add(json!({"product_id": LAPTOP, "quantity": 1})).await;
    assert_eq!((st, error(&body).0), (422, "insufficient_stock"));
    // Raising a line past the stock is refused too.
    let (_, cart) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{id}"),
        &Auth::None,
        s,
        None,
    )
    .await;
    let laptop_line = cart["data"]["items"][0]["id"]
        .as_str()
        .expect("line")
        .to_owned();
    let (st, body) = rest(
        &app,
        "PUT",
        &format!("{items}/{laptop_line}"),
        &Auth::None,
        s,
        Some(json!({"quantity": 25})),
    )
    .await;
    assert_eq!((st, error(&body).0), (422, "insufficient_stock"));
    // A warehouse that allows negative stock sells beyond it.
    psql(&app, "UPDATE warehouses SET allow_negative_stock = TRUE");
    let (st, body) = add(json!({"product_id": LAPTOP, "quantity": 5})).await;
    assert_eq!(st, 201, "{body}");
    psql(&app, "UPDATE warehouses SET allow_negative_stock = FALSE");
    // A warehouse switched off no longer counts.
    psql(&app, "UPDATE warehouses SET active = FALSE");
    let (st, _) = add(json!({"product_id": BAG, "quantity": 1})).await;
    assert_eq!(st, 422);
    psql(&app, "UPDATE warehouses SET active = TRUE");

    // Unknown or inactive products and variants, variants of other products, products with
    // variants added without one: 422 invalid_product on `items`.
    psql(
        &app,
        &format!("UPDATE products SET active = FALSE WHERE id = '{COFFEE}'"),
    );
    for body in [
        json!({"product_id": COFFEE}),
        json!({"product_id": uuid::Uuid::now_v7()}),
        json!({"product_id": SHIRT, "variant_id": PHONE_BLACK}),
        json!({"product_id": SHIRT}),
    ] {
        let (st, resp) = add(body.clone()).await;
        assert_eq!(st, 422, "{body} → {resp}");
        assert_eq!(error(&resp).0, "invalid_product", "{body}");
        assert_eq!(resp["errors"][0]["field"], "items");
    }
    psql(
        &app,
        &format!("UPDATE product_variants SET active = FALSE WHERE id = '{SHIRT_S}'"),
    );
    let (st, _) = add(json!({"product_id": SHIRT, "variant_id": SHIRT_S})).await;
    assert_eq!(st, 422);

    // Bad input reads as the reference's cart handlers.
    let (st, body) = add(json!({"product_id": BAG, "quantity": 0})).await;
    assert_eq!(
        (st, error(&body)),
        (
            400,
            ("validation_error", "quantity must be greater than zero")
        )
    );
    let (st, body) = add(json!({"quantity": 1})).await;
    assert_eq!(
        (st, error(&body)),
        (400, ("validation_error", "product_id is required"))
    );
    let (st, body) = rest(
        &app,
        "POST",
        &items,
        &Auth::None,
        s,
        Some(Value::String("{not json".into())),
    )
    .await;
    assert_eq!(
        (st, error(&body)),
        (400, ("invalid_request", "request body is not valid JSON"))
    );
    let (st, body) = rest(
        &app,
        "PUT",
        &format!("{items}/{laptop_line}"),
        &Auth::None,
        s,
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (st, error(&body)),
        (
            400,
            ("validation_error", "quantity must be greater than zero")
        )
    );
    let (st, body) = rest(&app, "GET", "/api/v1/store/cart/nope", &Auth::None, s, None).await;
    assert_eq!(
        (st, error(&body)),
        (400, ("invalid_uuid", "id must be a valid UUID"))
    );
    let (st, body) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        s,
        Some(json!({"currency": "EURO"})),
    )
    .await;
    assert_eq!((st, error(&body).0), (400, "validation_error"));
    // A cart in another currency takes no EUR products.
    let (_, usd) = rest(
        &app,
        "POST",
        "/api/v1/store/cart",
        &Auth::None,
        s,
        Some(json!({"currency": "USD"})),
    )
    .await;
    let usd_id = usd["data"]["id"].as_str().expect("id");
    let (st, body) = rest(
        &app,
        "POST",
        &format!("/api/v1/store/cart/{usd_id}/items"),
        &Auth::None,
        s,
        Some(json!({"product_id": BAG})),
    )
    .await;
    assert_eq!((st, error(&body).0), (422, "invalid_product"));
}

const CART: &str = "id sessionId currency discountCode items { id quantity name sku unitPriceGross lineTotalGross } totals { subtotalNet subtotalGross discountTotal shippingEstimate taxTotal total }";

#[tokio::test(flavor = "multi_thread")]
async fn graphql_guest_cart_with_discounts_shipping_estimate_and_locales() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let r = app
        .gql(
            &Auth::None,
            &format!("mutation {{ createCart {{ {CART} }} }}"),
            json!({}),
        )
        .await
        .ok();
    let id = r.data("createCart.id").as_str().expect("id").to_owned();
    let session = r
        .data("createCart.sessionId")
        .as_str()
        .expect("session")
        .to_owned();
    assert_eq!(session.len(), 64);
    let add = format!(
        "mutation($c: UUID!, $s: String, $i: AddToCartInput!) {{ addToCart(cartId: $c, sessionId: $s, input: $i) {{ {CART} }} }}"
    );
    // Without the session id: refused.
    let r = app
        .gql(
            &Auth::None,
            &add,
            json!({"c": id, "i": {"productId": SHIRT, "variantId": SHIRT_S}}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    let r = app
        .gql(
            &Auth::None,
            &add,
            json!({"c": id, "s": session, "i": {"productId": SHIRT, "variantId": SHIRT_S}}),
        )
        .await
        .ok();
    assert_eq!(
        &r.data("addToCart.items")[0]["quantity"],
        &json!(1),
        "quantity defaults to 1"
    );
    let r = app
        .gql(
            &Auth::None,
            &add,
            json!({"c": id, "s": session, "i": {"productId": LAPTOP, "quantity": 100}}),
        )
        .await;
    assert_eq!(r.code(), "INSUFFICIENT_STOCK");
    let r = app
        .gql(
            &Auth::None,
            &add,
            json!({"c": id, "s": session, "i": {"productId": COFFEE, "quantity": 0}}),
        )
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "quantity");

    // The X-Session-ID header works as the argument does; names follow the locale.
    let read = format!("query($c: UUID!, $l: String) {{ cart(id: $c, locale: $l) {{ {CART} }} }}");
    let resp: Value = app
        .http()
        .post(app.url("/graphql"))
        .header("x-session-id", &session)
        .header("accept-language", "en-US")
        .json(&json!({"query": read, "variables": {"c": id}}))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        resp["data"]["cart"]["items"][0]["name"], "Basic T-Shirt",
        "{resp}"
    );
    let by_arg = |locale: &'static str| {
        let app = &app;
        let read = read.clone();
        let (id, session) = (id.clone(), session.clone());
        async move {
            let q = read
                .replace("cart(id: $c,", "cart(id: $c, sessionId: $s,")
                .replace("$l: String)", "$l: String, $s: String)");
            app.gql(&Auth::None, &q, json!({"c": id, "l": locale, "s": session}))
                .await
                .ok()
        }
    };
    let r = by_arg("de-DE").await;
    assert_eq!(&r.data("cart.items")[0]["name"], &json!("T-Shirt Basic"));
    assert_eq!(&r.data("cart.items")[0]["sku"], &json!("SHIRT-001-S"));

    // DEMO10: 10 % of 2999 = 300 off; the tax loses the same share (478 × 300 / 2999 → 48).
    let apply = format!(
        "mutation($c: UUID!, $s: String, $code: String!) {{ applyCartDiscount(cartId: $c, sessionId: $s, code: $code) {{ {CART} }} }}"
    );
    let r = app
        .gql(
            &Auth::None,
            &apply,
            json!({"c": id, "s": session, "code": "demo10"}),
        )
        .await
        .ok();
    assert_eq!(r.data("applyCartDiscount.discountCode"), &json!("DEMO10"));
    assert_eq!(
        r.data("applyCartDiscount.totals"),
        &json!({"subtotalNet": 2521, "subtotalGross": 2999, "discountTotal": 300, "shippingEstimate": 0, "taxTotal": 430, "total": 2699})
    );
    // With the free method off, the cheapest active one (399) is the estimate.
    psql(
        &app,
        "UPDATE shipping_methods SET active = FALSE WHERE price_gross = 0",
    );
    let r = by_arg("de-DE").await;
    assert_eq!(r.data("cart.totals.shippingEstimate"), &json!(399));
    assert_eq!(r.data("cart.totals.total"), &json!(2999 - 300 + 399));
    // Codes that do not apply are refused with the discount's code.
    let r = app
        .gql(
            &Auth::None,
            &apply,
            json!({"c": id, "s": session, "code": "SOMMER20"}),
        )
        .await;
    assert_eq!(r.code(), "DISCOUNT_MIN_ORDER_VALUE");
    let r = app
        .gql(
            &Auth::None,
            &apply,
            json!({"c": id, "s": session, "code": "NOPE"}),
        )
        .await;
    assert_eq!(r.code(), "DISCOUNT_NOT_FOUND");
    let r = app
        .gql(
            &Auth::None,
            &apply,
            json!({"c": id, "s": session, "code": "FIXED5"}),
        )
        .await
        .ok();
    assert_eq!(
        r.data("applyCartDiscount.totals.discountTotal"),
        &json!(500)
    );
    let r = app
        .gql(&Auth::None, &format!("mutation($c: UUID!, $s: String) {{ removeCartDiscount(cartId: $c, sessionId: $s) {{ {CART} }} }}"), json!({"c": id, "s": session}))
        .await
        .ok();
    assert_eq!(r.data("removeCartDiscount.discountCode"), &Value::Null);
    assert_eq!(r.data("removeCartDiscount.totals.discountTotal"), &json!(0));
    assert_eq!(r.data("removeCartDiscount.totals.taxTotal"), &json!(478));
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_cart_over_graphql_and_expiry() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let maria = maria(&app).await;
    let r = app
        .gql(
            &maria,
            &format!("mutation {{ createCart(input: {{currency: \"eur\"}}) {{ {CART} }} }}"),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(r.data("createCart.currency"), &json!("EUR"));
    let id = r.data("createCart.id").as_str().expect("id").to_owned();
    let r = app
        .gql(&maria, "mutation($c: UUID!) { addToCart(cartId: $c, input: {productId: \"0d000000-0000-4000-8005-000000000004\", quantity: 2}) { customerId items { lineTotalNet } totals { subtotalGross taxTotal } } }", json!({"c": id}))
        .await
        .ok();
    assert_eq!(
        r.data("addToCart.customerId"),
        &json!("0d000000-0000-4000-800c-000000000001")
    );
    assert_eq!(&r.data("addToCart.items")[0]["lineTotalNet"], &json!(15124));
    assert_eq!(
        r.data("addToCart.totals"),
        &json!({"subtotalGross": 17998, "taxTotal": 2874})
    );
    // Anonymous callers cannot read a customer's cart.
    let r = app
        .gql(
            &Auth::None,
            "query($c: UUID!) { cart(id: $c) { id } }",
            json!({"c": id}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");

    // A cart past its expiry is gone; expiries must lie ahead.
    let r = app
        .gql(
            &maria,
            "mutation { createCart(input: {expiresAt: \"2000-01-01T00:00:00Z\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    psql(
        &app,
        &format!("UPDATE carts SET expires_at = NOW() - INTERVAL '1 minute' WHERE id = '{id}'"),
    );
    let (st, body) = rest(
        &app,
        "GET",
        &format!("/api/v1/store/cart/{id}"),
        &maria,
        None,
        None,
    )
    .await;
    assert_eq!((st, error(&body)), (404, ("not_found", "cart not found")));
}

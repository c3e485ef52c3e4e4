//! Concurrent checkouts over real HTTP: no oversell, no deadlocks, no discount used beyond
//! `max_uses`, one order per idempotency key — and never a 5xx (the test pool has 8
//! connections, so requests queue).

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::checkout::{BAG, CARD, LAPTOP, address, call, code, order_count, sql, stock_of};

const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
const SHIRT_M: &str = "0d000000-0000-4000-8006-000000000004";

/// An app whose rate limits and pool wait do not get in the way of a burst.
async fn app() -> TestApp {
    let app = TestApp::with_config(|c| {
        c.security.rate_limit.requests_per_minute = 100_000;
        c.security.rate_limit.checkout.requests_per_minute = 100_000;
        c.database.wait_timeout = Duration::from_secs(120);
    })
    .await;
    app.seed_demo().await;
    app
}

fn body(items: Value) -> Value {
    json!({"billing_address": address(), "shipping_address": address(), "payment_method_id": CARD,
           "payment_reference": "pi_burst", "items": items})
}

/// Runs the checkouts concurrently; returns (status, error code, order id) per request.
async fn burst(
    app: &TestApp,
    bodies: Vec<(Value, Vec<(String, String)>)>,
) -> Vec<(u16, String, String)> {
    join_all(bodies.into_iter().map(|(b, headers)| async move {
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = call(
            app,
            "POST",
            "/api/v1/store/checkout",
            &Auth::None,
            &h,
            Some(b),
        )
        .await;
        (
            r.status,
            code(&r).0.to_owned(),
            r.body["data"]["id"].as_str().unwrap_or("").to_owned(),
        )
    }))
    .await
}

fn count(results: &[(u16, String, String)], status: u16, code: &str) -> usize {
    results
        .iter()
        .filter(|(s, c, _)| *s == status && c == code)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_checkouts_for_ten_units() {
    let app = app().await;
    sql(
        &app,
        &format!("UPDATE warehouse_stock SET quantity = 10 WHERE product_id = '{BAG}'"),
    );
    let before = order_count(&app);
    let results = burst(
        &app,
        (0..100)
            .map(|_| (body(json!([{"product_id": BAG, "quantity": 1}])), vec![]))
            .collect(),
    )
    .await;
    assert!(results.iter().all(|(s, _, _)| *s < 500), "{results:?}");
    assert_eq!(count(&results, 201, ""), 10, "{results:?}");
    assert_eq!(
        count(&results, 422, "insufficient_stock"),
        90,
        "{results:?}"
    );
    assert_eq!(stock_of(&app, BAG, None), 0);
    assert_eq!(order_count(&app), before + 10);
    assert_eq!(
        sql(
            &app,
            &format!(
                "SELECT COALESCE(SUM(quantity), 0) FROM order_items WHERE product_id = '{BAG}'"
            )
        ),
        "10"
    );
    assert_eq!(
        sql(
            &app,
            &format!("SELECT stock FROM products WHERE id = '{BAG}'")
        ),
        "0"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_item_checkouts_in_opposite_orders_never_deadlock() {
    let app = app().await;
    sql(
        &app,
        &format!(
            "UPDATE warehouse_stock SET quantity = 100 WHERE product_id IN ('{BAG}', '{LAPTOP}')"
        ),
    );
    let results = burst(
        &app,
        (0..40)
            .map(|i| {
                let items = if i % 2 == 0 {
                    json!([{"product_id": LAPTOP, "quantity": 1}, {"product_id": BAG, "quantity": 2}])
                } else {
                    json!([{"product_id": BAG, "quantity": 2}, {"product_id": LAPTOP, "quantity": 1}])
                };
                (body(items), vec![])
            })
            .collect(),
    )
    .await;
    assert_eq!(count(&results, 201, ""), 40, "{results:?}");
    assert_eq!(stock_of(&app, LAPTOP, None), 60);
    assert_eq!(stock_of(&app, BAG, None), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_checkouts_with_a_code_of_five_uses() {
    let app = app().await;
    sql(
        &app,
        "INSERT INTO discounts (id, code, type, value, max_uses, active)
         VALUES (gen_random_uuid(), 'FIVE', 'fixed', 100, 5, TRUE)",
    );
    let before = order_count(&app);
    let shirts = stock_of(&app, SHIRT, Some(SHIRT_M));
    let results = burst(
        &app,
        (0..50)
            .map(|_| {
                let mut b =
                    body(json!([{"product_id": SHIRT, "variant_id": SHIRT_M, "quantity": 1}]));
                b["discount_code"] = json!("FIVE");
                (b, vec![])
            })
            .collect(),
    )
    .await;
    assert!(results.iter().all(|(s, _, _)| *s < 500), "{results:?}");
    assert_eq!(count(&results, 201, ""), 5, "{results:?}");
    assert_eq!(
        count(&results, 422, "discount_exhausted"),
        45,
        "{results:?}"
    );
    assert_eq!(
        sql(&app, "SELECT used_count FROM discounts WHERE code = 'FIVE'"),
        "5"
    );
    assert_eq!(
        sql(
            &app,
            "SELECT COUNT(*) FROM orders WHERE discount_code = 'FIVE' AND discount_total = 100"
        ),
        "5"
    );
    // The refused ones left nothing: no order, no stock taken.
    assert_eq!(order_count(&app), before + 5);
    assert_eq!(stock_of(&app, SHIRT, Some(SHIRT_M)), shirts - 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_racing_retries_of_one_key_place_one_order() {
    let app = app().await;
    let before = order_count(&app);
    let bags = stock_of(&app, BAG, None);
    let headers = vec![
        ("x-session-id".to_owned(), "retrying-guest".to_owned()),
        ("idempotency-key".to_owned(), "attempt-7f3a".to_owned()),
    ];
    let results = burst(
        &app,
        (0..20)
            .map(|_| {
                (
                    body(json!([{"product_id": BAG, "quantity": 1}])),
                    headers.clone(),
                )
            })
            .collect(),
    )
    .await;
    assert_eq!(count(&results, 201, ""), 20, "{results:?}");
    let first = results[0].2.clone();
    assert!(!first.is_empty());
    assert!(results.iter().all(|(_, _, id)| *id == first), "{results:?}");
    assert_eq!(order_count(&app), before + 1);
    assert_eq!(stock_of(&app, BAG, None), bags - 1);

    // A later retry (GraphQL, same caller and key) returns it too, marked as replayed.
    let r = app
        .gql(
            &Auth::None,
            "mutation($i: CheckoutInput!) { checkout(input: $i, idempotencyKey: \"attempt-7f3a\") { replayed order { id } } }",
            json!({"i": {"sessionId": "retrying-guest", "billingAddress": address(), "shippingAddress": address(),
                         "paymentMethodId": CARD, "paymentReference": "pi_burst",
                         "items": [{"productId": BAG, "quantity": 1}]}}),
        )
        .await
        .ok();
    assert_eq!(r.data("checkout.replayed"), true);
    assert_eq!(r.data("checkout.order.id"), first.as_str());
    // The key is the caller's: another guest with the same key places its own order.
    let other = burst(
        &app,
        vec![(
            body(json!([{"product_id": BAG, "quantity": 1}])),
            vec![
                ("x-session-id".to_owned(), "another-guest".to_owned()),
                ("idempotency-key".to_owned(), "attempt-7f3a".to_owned()),
            ],
        )],
    )
    .await;
    assert_eq!(other[0].0, 201);
    assert_ne!(other[0].2, first);
    assert_eq!(order_count(&app), before + 2);
}

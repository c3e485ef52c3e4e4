//! Payments: recording a payment and moving it along its status machine, over GraphQL and
//! REST, with the `payment.status_changed` event reaching the staff feed and the owning
//! customer's feed only, the order's derived payment status, the balance and currency rules,
//! permissions, idempotency on the provider reference, concurrent captures that cannot exceed
//! the order total, and the payment hooks seen by a plugin after the commit.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use stoa_plugin_sdk::{Plugin, PluginContext, PluginError, hooks};
use stoa_tests::{Auth, TestApp};

use crate::subscriptions::{Ws, connect, next_json, send};

/// Thomas's pending order: total 6397 EUR, no transactions.
const DEMO2: &str = "0d000000-0000-4000-800f-000000000002";
const DEMO2_TOTAL: i64 = 6397;
const THOMAS: &str = "0d000000-0000-4000-800c-000000000002";

const RECORD: &str = "mutation($o: UUID!, $a: Int!, $s: String!, $c: String, $r: String) {
  recordPayment(orderId: $o, amount: $a, status: $s, currency: $c, providerReference: $r) {
    id orderId paymentMethodId status currency amount providerReference
  }
}";
const SET: &str = "mutation($t: UUID!, $s: String!, $o: UUID) {
  setPaymentStatus(transactionId: $t, status: $s, orderId: $o) { id status amount }
}";
const ORDER: &str = "query($id: UUID!) { order(id: $id) { paymentStatus status transactions { id status amount } } }";
const ORDER_EVENTS: &str = include_str!("../../../schema/operations/examples/order_events.graphql");
const MY_ORDER_EVENTS: &str = "subscription { myOrderEvents { kind orderId status payment { transactionId status previousStatus amount orderPaymentStatus } } }";

fn record_vars(amount: i64, status: &str, reference: Option<&str>) -> Value {
    json!({"o": DEMO2, "a": amount, "s": status, "r": reference})
}

async fn order(app: &TestApp, admin: &Auth) -> Value {
    app.gql(admin, ORDER, json!({"id": DEMO2}))
        .await
        .ok()
        .data("order")
        .clone()
}

async fn bus_ready(app: &TestApp) {
    for _ in 0..200 {
        if app.app.state.events.is_listening() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the event bus did not start listening");
}

/// A `graphql-transport-ws` connection authenticated as `auth`, with subscription `id`
/// started and taken up by the server (a heartbeat started after it has ticked).
async fn subscribed(app: &TestApp, auth: &Auth, id: &str, query: &str) -> Ws {
    let mut ws = connect(app, "graphql-transport-ws").await;
    let payload = match auth {
        Auth::Bearer(t) => json!({"Authorization": format!("Bearer {t}")}),
        _ => json!({}),
    };
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": payload}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await.expect("ack")["type"],
        "connection_ack"
    );
    send(
        &mut ws,
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": {}}}),
    )
    .await;
    send(
        &mut ws,
        json!({"id": "sync", "type": "subscribe", "payload": {"query": "subscription { heartbeat(intervalMs: 200) { seq } }"}}),
    )
    .await;
    let m = next_json(&mut ws).await.expect("heartbeat");
    assert_eq!(m["id"], "sync", "unexpected message before any event: {m}");
    send(&mut ws, json!({"id": "sync", "type": "complete"})).await;
    ws
}

/// The next message that is not a heartbeat, within `ms` milliseconds.
async fn next_event(ws: &mut Ws, ms: u64) -> Option<Value> {
    tokio::time::timeout(Duration::from_millis(ms), async {
        loop {
            let m = next_json(ws).await?;
            if m["id"] != "sync" {
                return Some(m);
            }
        }
    })
    .await
    .ok()
    .flatten()
}

/// The data under `field` of the next event of the socket's subscription.
async fn event(ws: &mut Ws, field: &str) -> Value {
    let m = next_event(ws, 5000).await.expect("an event within 5 s");
    assert_eq!(m["type"], "next", "{m}");
    assert!(m["payload"]["errors"].is_null(), "{m}");
    m["payload"]["data"][field].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn recording_and_capturing_reaches_the_staff_feed_and_only_the_owner() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let thomas = Auth::Bearer(app.login("thomas@example.com", "Demo1234!").await.access);
    let maria = Auth::Bearer(app.login("maria@example.com", "Demo1234!").await.access);
    bus_ready(&app).await;
    let mut staff = subscribed(&app, &admin, "all", ORDER_EVENTS).await;
    let mut owner = subscribed(&app, &thomas, "mine", MY_ORDER_EVENTS).await;
    let mut other = subscribed(&app, &maria, "mine", MY_ORDER_EVENTS).await;

    // An invoice: recorded as pending, then the bank transfer arrives.
    let tx = app
        .gql(
            &admin,
            RECORD,
            record_vars(DEMO2_TOTAL, "pending", Some("INV-2026-0042")),
        )
        .await
        .ok()
        .data("recordPayment")
        .clone();
    assert_eq!(tx["status"], "pending");
    assert_eq!(tx["currency"], "EUR");
    assert_eq!(tx["amount"], DEMO2_TOTAL);
    assert_eq!(tx["orderId"], DEMO2);
    assert!(
        tx["paymentMethodId"].is_string(),
        "the order's method: {tx}"
    );
    let tx_id = tx["id"].as_str().expect("id").to_owned();

    let e = event(&mut staff, "orderEvents").await;
    assert_eq!(e["kind"], "payment.status_changed");
    assert_eq!(e["orderId"], DEMO2);
    assert_eq!(e["status"], "pending", "the order's status: {e}");
    assert_eq!(e["customerId"], THOMAS);
    assert_eq!(e["payment"]["transactionId"], tx_id.as_str());
    assert_eq!(e["payment"]["status"], "pending");
    assert_eq!(e["payment"]["previousStatus"], Value::Null);
    assert_eq!(e["payment"]["providerReference"], "INV-2026-0042");
    assert_eq!(e["payment"]["orderPaymentStatus"], "pending");
    let e = event(&mut owner, "myOrderEvents").await;
    assert_eq!(e["payment"]["transactionId"], tx_id.as_str());

    let captured = app
        .gql(
            &admin,
            SET,
            json!({"t": tx_id, "s": "captured", "o": DEMO2}),
        )
        .await
        .ok();
    assert_eq!(captured.data("setPaymentStatus.status"), "completed");
    let e = event(&mut staff, "orderEvents").await;
    assert_eq!(
        (&e["payment"]["status"], &e["payment"]["previousStatus"]),
        (&json!("completed"), &json!("pending"))
    );
    assert_eq!(e["payment"]["orderPaymentStatus"], "paid");
    let e = event(&mut owner, "myOrderEvents").await;
    assert_eq!(e["kind"], "payment.status_changed");
    assert_eq!(e["payment"]["status"], "completed");
    assert_eq!(e["payment"]["amount"], DEMO2_TOTAL);
    // Maria's feed carries none of Thomas's payments.
    assert!(
        next_event(&mut other, 400).await.is_none(),
        "another customer's feed stays quiet"
    );

    let o = order(&app, &admin).await;
    assert_eq!(o["paymentStatus"], "paid");
    assert_eq!(
        o["status"], "pending",
        "payments do not move the order status"
    );
    assert_eq!(o["transactions"][0]["status"], "completed");

    // The same status again and the same reference again change nothing: no event.
    app.gql(&admin, SET, json!({"t": tx_id, "s": "completed"}))
        .await
        .ok();
    let again = app
        .gql(
            &admin,
            RECORD,
            record_vars(DEMO2_TOTAL, "completed", Some("INV-2026-0042")),
        )
        .await
        .ok();
    assert_eq!(again.data("recordPayment.id"), tx_id.as_str());
    assert!(next_event(&mut staff, 400).await.is_none(), "no event");
    assert_eq!(
        order(&app, &admin).await["transactions"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Never backwards; a refund is the way out of completed.
    let back = app
        .gql(&admin, SET, json!({"t": tx_id, "s": "failed"}))
        .await;
    assert_eq!(back.code(), "CONFLICT");
    assert_eq!(back.body["errors"][0]["extensions"]["field"], "status");
    app.gql(&admin, SET, json!({"t": tx_id, "s": "refunded"}))
        .await
        .ok();
    assert_eq!(order(&app, &admin).await["paymentStatus"], "refunded");

    // Staff actions are audited.
    let audit = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"payment_transaction\") { items { action } } }",
            json!({}),
        )
        .await
        .ok();
    let actions: Vec<&str> = audit
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "record_payment").count(),
        1,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "update_payment_status")
            .count(),
        2,
        "{actions:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn balance_currency_and_unknown_orders_are_refused_with_stable_codes() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;

    let over = app
        .gql(
            &admin,
            RECORD,
            record_vars(DEMO2_TOTAL + 1, "completed", None),
        )
        .await;
    assert_eq!(over.code(), "VALIDATION_ERROR");
    assert_eq!(over.body["errors"][0]["extensions"]["field"], "amount");

    let part = app
        .gql(&admin, RECORD, record_vars(4000, "paid", None))
        .await
        .ok();
    assert_eq!(part.data("recordPayment.status"), "completed");
    assert_eq!(order(&app, &admin).await["paymentStatus"], "partially_paid");
    // 2397 are open: 2398 is refused, also as an authorization captured later.
    let over = app
        .gql(&admin, RECORD, record_vars(2398, "completed", None))
        .await;
    assert_eq!(over.code(), "VALIDATION_ERROR");
    assert_eq!(
        over.body["errors"][0]["message"],
        "amount exceeds the order's open balance of 2397"
    );
    let auth = app
        .gql(&admin, RECORD, record_vars(2397, "authorized", None))
        .await
        .ok();
    let auth_id = auth
        .data("recordPayment.id")
        .as_str()
        .expect("id")
        .to_owned();
    let extra = app
        .gql(&admin, RECORD, record_vars(1, "completed", None))
        .await
        .ok();
    let capture = app
        .gql(&admin, SET, json!({"t": auth_id, "s": "completed"}))
        .await;
    assert_eq!(capture.code(), "VALIDATION_ERROR");
    assert_eq!(capture.body["errors"][0]["extensions"]["field"], "amount");
    // A refund frees the balance again.
    let extra_id = extra
        .data("recordPayment.id")
        .as_str()
        .expect("id")
        .to_owned();
    app.gql(&admin, SET, json!({"t": extra_id, "s": "refunded"}))
        .await
        .ok();
    app.gql(&admin, SET, json!({"t": auth_id, "s": "completed"}))
        .await
        .ok();
    assert_eq!(order(&app, &admin).await["paymentStatus"], "paid");

    let usd = app
        .gql(
            &admin,
            RECORD,
            json!({"o": DEMO2, "a": 1, "s": "failed", "c": "USD"}),
        )
        .await;
    assert_eq!(usd.code(), "VALIDATION_ERROR");
    assert_eq!(usd.body["errors"][0]["extensions"]["field"], "currency");
    // The order's currency in any case is fine.
    let eur = app
        .gql(
            &admin,
            RECORD,
            json!({"o": DEMO2, "a": 1, "s": "failed", "c": "eur"}),
        )
        .await
        .ok();
    assert_eq!(eur.data("recordPayment.currency"), "EUR");

    for (vars, field) in [
        (record_vars(0, "pending", None), "amount"),
        (record_vars(10, "refunded", None), "status"),
        (record_vars(10, "settled", None), "status"),
    ] {
        let r = app.gql(&admin, RECORD, vars).await;
        assert_eq!(r.code(), "VALIDATION_ERROR", "{}", r.body);
        assert_eq!(r.body["errors"][0]["extensions"]["field"], field);
    }

    let unknown = app
        .gql(
            &admin,
            RECORD,
            json!({"o": uuid::Uuid::now_v7(), "a": 10, "s": "pending"}),
        )
        .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
    let unknown = app
        .gql(
            &admin,
            SET,
            json!({"t": uuid::Uuid::now_v7(), "s": "completed"}),
        )
        .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
    // A transaction named under another order is not found either.
    let wrong = app
        .gql(
            &admin,
            SET,
            json!({"t": auth_id, "s": "refunded", "o": "0d000000-0000-4000-800f-000000000001"}),
        )
        .await;
    assert_eq!(wrong.code(), "NOT_FOUND");

    // A provider reference belongs to one payment.
    app.gql(&admin, RECORD, record_vars(1, "failed", Some("pi_123")))
        .await
        .ok();
    let taken = app
        .gql(
            &admin,
            RECORD,
            json!({"o": "0d000000-0000-4000-800f-000000000001", "a": 1, "s": "failed", "r": "pi_123"}),
        )
        .await;
    assert_eq!(taken.code(), "CONFLICT");
    assert_eq!(
        taken.body["errors"][0]["extensions"]["field"],
        "providerReference"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn recording_payments_needs_orders_update() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let key = app
        .gql(
            &admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "reader", "permissions": ["orders.read", "payment.read"]}}),
        )
        .await
        .ok()
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    let reader = Auth::ApiKey(key);
    let (customer, _) = app.customer().await;
    for who in [&reader, &customer] {
        let r = app
            .gql(who, RECORD, record_vars(100, "completed", None))
            .await;
        assert_eq!(r.code(), "FORBIDDEN", "{}", r.body);
    }
    let anon = app
        .gql(&Auth::None, RECORD, record_vars(100, "completed", None))
        .await;
    assert_eq!(anon.code(), "UNAUTHENTICATED");
    // REST: the reader key is refused as well; nothing was written.
    let r = app
        .http()
        .post(app.url(&format!("/api/v1/admin/orders/{DEMO2}/transactions")))
        .header(
            "authorization",
            format!(
                "ApiKey {}",
                match &reader {
                    Auth::ApiKey(k) => k.as_str(),
                    _ => "",
                }
            ),
        )
        .json(&json!({"amount": 100, "status": "completed"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 403);
    let listed = app.gql(&reader, ORDER, json!({"id": DEMO2})).await.ok();
    assert_eq!(listed.data("order.transactions"), &json!([]));
    // A manager holds orders.update.
    let manager = app.staff("manager").await;
    app.gql(&manager, RECORD, record_vars(100, "completed", None))
        .await
        .ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn rest_routes_record_and_change_payments() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let Auth::Bearer(token) = app.staff("admin").await else {
        panic!("bearer")
    };
    let call = |method: Method, path: String, body: Value| {
        let req = app
            .http()
            .request(method, app.url(&path))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let r = req.send().await.expect("send");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.expect("json"))
        }
    };
    let (s, b) = call(
        Method::POST,
        format!("/api/v1/admin/orders/{DEMO2}/transactions"),
        json!({"amount": 6397, "status": "authorized", "provider_reference": "BANK-77"}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let tx = &b["data"];
    let keys: Vec<&str> = tx
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "order_id",
            "payment_method_id",
            "status",
            "currency",
            "amount",
            "provider_reference",
            "created_at"
        ]
    );
    assert_eq!(tx["status"], "authorized");
    let id = tx["id"].as_str().expect("id").to_owned();

    let (s, b) = call(
        Method::POST,
        format!("/api/v1/admin/orders/{DEMO2}/transactions"),
        json!({"amount": 1, "status": "completed", "currency": "GBP"}),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["errors"][0]["code"], "validation_error");
    assert_eq!(
        b["errors"][0]["field"], "Currency",
        "the family's field style"
    );
    assert_eq!(
        b["errors"][0]["detail"],
        "currency must be the order's currency EUR"
    );

    let (s, b) = call(
        Method::PUT,
        format!("/api/v1/admin/orders/{DEMO2}/transactions/{id}/status"),
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["data"]["status"], "completed");
    let (s, b) = call(
        Method::PUT,
        format!("/api/v1/admin/orders/{DEMO2}/transactions/{id}/status"),
        json!({"status": "pending"}),
    )
    .await;
    assert_eq!(s, 409, "{b}");
    let (s, _) = call(
        Method::PUT,
        format!(
            "/api/v1/admin/orders/{}/transactions/{id}/status",
            uuid::Uuid::now_v7()
        ),
        json!({"status": "refunded"}),
    )
    .await;
    assert_eq!(s, 404);

    let (s, b) = call(
        Method::GET,
        format!("/api/v1/admin/orders/{DEMO2}/transactions"),
        Value::Null,
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["data"][0]["status"], "completed");
    assert_eq!(b["meta"]["total"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_captures_never_exceed_the_order_total() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    // 10 captures of 1000 on a total of 6397: exactly 6 fit.
    let attempts = (0..10).map(|i| {
        let (app, admin) = (&app, &admin);
        async move {
            app.gql(
                admin,
                RECORD,
                record_vars(1000, "completed", Some(&format!("WIRE-{i}"))),
            )
            .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let ok = results
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    let refused: Vec<&str> = results
        .iter()
        .filter(|r| r.body.get("errors").is_some())
        .map(|r| r.code())
        .collect();
    assert_eq!(ok, 6, "{results:?}");
    assert_eq!(refused, ["VALIDATION_ERROR"; 4]);
    let o = order(&app, &admin).await;
    let captured: i64 = o["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .filter(|t| t["status"] == "completed")
        .map(|t| t["amount"].as_i64().expect("amount"))
        .sum();
    assert_eq!(captured, 6000);
    assert_eq!(o["paymentStatus"], "partially_paid");
}

/// (hook, transaction status, from_status, order id).
type SeenHook = (String, String, String, String);

/// Records the payment hooks it sees: (hook, transaction status, from_status, order id).
#[derive(Clone, Default)]
struct PaymentRecorder {
    seen: Arc<Mutex<Vec<SeenHook>>>,
}

impl Plugin for PaymentRecorder {
    fn name(&self) -> &'static str {
        "payment_recorder"
    }
    fn version(&self) -> &'static str {
        "0.0.1"
    }
    fn description(&self) -> &'static str {
        "test plugin"
    }
    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
        for name in [
            hooks::PAYMENT_TRANSACTION_AFTER_CREATE,
            hooks::PAYMENT_AFTER_COMPLETE,
            hooks::PAYMENT_AFTER_FAILED,
        ] {
            let seen = self.seen.clone();
            ctx.on(name, move |e| {
                let seen = seen.clone();
                async move {
                    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
                    if let Ok(mut seen) = seen.lock() {
                        seen.push((
                            e.name.clone(),
                            s(&e.entity["status"]),
                            s(&e.changes["from_status"]),
                            s(&e.metadata["order_id"]),
                        ));
                    }
                    Ok(())
                }
            })?;
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn payment_hooks_fire_after_the_commit() {
    let recorder = PaymentRecorder::default();
    let app = TestApp::with_plugins(vec![Arc::new(recorder.clone())], |_| {}).await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let seen = || recorder.seen.lock().map(|s| s.clone()).unwrap_or_default();
    let row = |hook: &str, status: &str, from: &str| {
        (
            hook.to_owned(),
            status.to_owned(),
            from.to_owned(),
            DEMO2.to_owned(),
        )
    };

    let failed = app
        .gql(
            &admin,
            RECORD,
            record_vars(500, "failed", Some("pi_declined")),
        )
        .await
        .ok();
    assert_eq!(failed.data("recordPayment.status"), "failed");
    assert_eq!(
        seen(),
        [
            row("payment_transaction.after_create", "failed", ""),
            row("payment.after_failed", "failed", ""),
        ]
    );

    let pending = app
        .gql(
            &admin,
            RECORD,
            record_vars(DEMO2_TOTAL, "pending", Some("pi_ok")),
        )
        .await
        .ok();
    let id = pending
        .data("recordPayment.id")
        .as_str()
        .expect("id")
        .to_owned();
    // The provider confirms by recording the same reference as completed (a webhook).
    let done = app
        .gql(
            &admin,
            RECORD,
            record_vars(DEMO2_TOTAL, "completed", Some("pi_ok")),
        )
        .await
        .ok();
    assert_eq!(done.data("recordPayment.id"), id.as_str());
    // … and its redelivery fires nothing.
    app.gql(
        &admin,
        RECORD,
        record_vars(DEMO2_TOTAL, "completed", Some("pi_ok")),
    )
    .await
    .ok();
    assert_eq!(
        seen()[2..],
        [
            row("payment_transaction.after_create", "pending", ""),
            row("payment.after_complete", "completed", "pending"),
        ]
    );
    // A refused change fires nothing.
    let r = app.gql(&admin, SET, json!({"t": id, "s": "failed"})).await;
    assert_eq!(r.code(), "CONFLICT");
    assert_eq!(seen().len(), 4);
}

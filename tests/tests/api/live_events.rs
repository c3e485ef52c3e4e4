//! Live events: domain events published through LISTEN/NOTIFY reach GraphQL subscriptions on
//! every instance, each feed authorized like its query, and the bus catches up after losing
//! its connection.

use std::time::Duration;

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::subscriptions::{Ws, connect, next_json, send};

const ORDER_EVENTS: &str = include_str!("../../../schema/operations/examples/order_events.graphql");
const MY_ORDER_EVENTS: &str =
    "subscription { myOrderEvents { kind orderId orderNumber status previousStatus customerId } }";
const SET_STATUS: &str =
    "mutation($id: UUID!, $s: String!) { updateOrderStatus(id: $id, status: $s) { status } }";
const DEMO1: &str = "0d000000-0000-4000-800f-000000000001";
const DEMO2: &str = "0d000000-0000-4000-800f-000000000002";
const THOMAS: &str = "0d000000-0000-4000-800c-000000000002";
const BAG: &str = "0d000000-0000-4000-8005-000000000004";
const SHIRT: &str = "0d000000-0000-4000-8005-000000000003";
const SHIRT_S: &str = "0d000000-0000-4000-8006-000000000003";
const DEFAULT_WAREHOUSE: &str = "00000000-0000-0000-0000-000000000001";

/// Waits until the instance's event bus is listening (it starts with the server).
async fn bus_ready(app: &TestApp) {
    for _ in 0..200 {
        if app.app.state.events.is_listening() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the event bus did not start listening");
}

/// A `graphql-transport-ws` connection authenticated as `auth`.
async fn open(app: &TestApp, auth: &Auth) -> Ws {
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
    ws
}

/// Starts subscription `id`, then waits for one tick of a heartbeat started after it on the
/// same socket: the server has taken the subscription up by then.
async fn subscribe(ws: &mut Ws, id: &str, query: &str, variables: Value) {
    send(
        ws,
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await;
    let sync = format!("sync-{id}");
    send(
        ws,
        json!({"id": sync, "type": "subscribe", "payload": {"query": "subscription { heartbeat(intervalMs: 200) { seq } }"}}),
    )
    .await;
    let m = next_json(ws).await.expect("heartbeat");
    assert_eq!(
        m["id"],
        sync.as_str(),
        "unexpected message before any event: {m}"
    );
    send(ws, json!({"id": sync, "type": "complete"})).await;
}

/// The next message of subscription `id` (heartbeats of the sync are skipped), within 5 s.
async fn next_of(ws: &mut Ws, id: &str) -> Value {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let m = next_json(ws).await.expect("open socket");
            if m["id"].as_str().is_some_and(|i| i.starts_with("sync-")) {
                continue;
            }
            assert_eq!(m["id"], id, "{m}");
            return m;
        }
    })
    .await
    .expect("an event within 5 seconds")
}

/// The data of the next event of subscription `id` under `field`.
async fn event(ws: &mut Ws, id: &str, field: &str) -> Value {
    let m = next_of(ws, id).await;
    assert_eq!(m["type"], "next", "{m}");
    assert!(m["payload"]["errors"].is_null(), "{m}");
    m["payload"]["data"][field].clone()
}

/// Asserts that subscription `id` gets nothing within `ms` milliseconds.
async fn quiet(ws: &mut Ws, ms: u64) {
    let got = tokio::time::timeout(Duration::from_millis(ms), async {
        loop {
            let m = next_json(ws).await;
            match m {
                Some(m) if m["id"].as_str().is_some_and(|i| i.starts_with("sync-")) => {}
                other => return other,
            }
        }
    })
    .await;
    assert!(got.is_err(), "expected no event, got {got:?}");
}

/// The error code a refused subscription reports.
async fn refused(ws: &mut Ws, id: &str, query: &str, variables: Value) -> String {
    send(
        ws,
        json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}),
    )
    .await;
    let m = next_of(ws, id).await;
    let errors = if m["type"] == "error" {
        m["payload"].clone()
    } else {
        // An error result, then the end of the subscription.
        assert_eq!(next_of(ws, id).await["type"], "complete");
        m["payload"]["errors"].clone()
    };
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("an error: {m}"))
        .to_owned()
}

async fn customer(app: &TestApp, email: &str) -> Auth {
    Auth::Bearer(app.login(email, "Demo1234!").await.access)
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_feed_sees_orders_changed_on_another_instance() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.seed_demo().await;
    let admin = a.staff("admin").await;
    bus_ready(&a).await;
    let mut all = open(&a, &admin).await;
    subscribe(&mut all, "all", ORDER_EVENTS, json!({"status": null})).await;
    let mut shipped = open(&a, &admin).await;
    subscribe(
        &mut shipped,
        "shipped",
        ORDER_EVENTS,
        json!({"status": "shipped"}),
    )
    .await;

    for (to, from) in [
        ("confirmed", "pending"),
        ("processing", "confirmed"),
        ("shipped", "processing"),
    ] {
        b.gql(&admin, SET_STATUS, json!({"id": DEMO2, "s": to}))
            .await
            .ok();
        let e = event(&mut all, "all", "orderEvents").await;
        assert_eq!(e["kind"], "order.status_changed");
        assert_eq!(e["orderId"], DEMO2);
        assert_eq!(e["orderNumber"], "ORD-20260301-DEMO2");
        assert_eq!(
            (&e["status"], &e["previousStatus"]),
            (&json!(to), &json!(from))
        );
        assert_eq!(e["customerId"], THOMAS);
        assert_eq!(e["currency"], "EUR");
        assert!(e["total"].as_i64().is_some_and(|t| t > 0), "{e}");
        assert!(e["at"].is_string(), "{e}");
    }
    // The filtered feed skipped `confirmed` and `processing`: its first event is `shipped`.
    let e = event(&mut shipped, "shipped", "orderEvents").await;
    assert_eq!(
        (&e["status"], &e["previousStatus"]),
        (&json!("shipped"), &json!("processing"))
    );
    quiet(&mut shipped, 300).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn my_order_events_carry_only_the_customers_own_orders() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let maria = customer(&app, "maria@example.com").await;
    let thomas = customer(&app, "thomas@example.com").await;
    bus_ready(&app).await;
    let mut m = open(&app, &maria).await;
    subscribe(&mut m, "m", MY_ORDER_EVENTS, json!({})).await;
    let mut t = open(&app, &thomas).await;
    subscribe(&mut t, "t", MY_ORDER_EVENTS, json!({})).await;

    // Thomas's order changes first, then Maria's.
    app.gql(&admin, SET_STATUS, json!({"id": DEMO2, "s": "confirmed"}))
        .await
        .ok();
    app.gql(&admin, SET_STATUS, json!({"id": DEMO1, "s": "processing"}))
        .await
        .ok();
    let e = event(&mut m, "m", "myOrderEvents").await;
    assert_eq!(
        (&e["orderId"], &e["status"]),
        (&json!(DEMO1), &json!("processing"))
    );
    let e = event(&mut t, "t", "myOrderEvents").await;
    assert_eq!(
        (&e["orderId"], &e["status"]),
        (&json!(DEMO2), &json!("confirmed"))
    );
    quiet(&mut m, 300).await;
    quiet(&mut t, 300).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn order_feeds_are_authorized_like_their_queries() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let maria = customer(&app, "maria@example.com").await;
    let admin = app.staff("admin").await;
    let mut anon = open(&app, &Auth::None).await;
    assert_eq!(
        refused(&mut anon, "1", ORDER_EVENTS, json!({})).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        refused(&mut anon, "2", MY_ORDER_EVENTS, json!({})).await,
        "UNAUTHENTICATED"
    );
    let mut cust = open(&app, &maria).await;
    assert_eq!(
        refused(&mut cust, "1", ORDER_EVENTS, json!({})).await,
        "FORBIDDEN"
    );
    let mut staff = open(&app, &admin).await;
    assert_eq!(
        refused(&mut staff, "1", MY_ORDER_EVENTS, json!({})).await,
        "FORBIDDEN"
    );
    assert_eq!(
        refused(&mut staff, "2", ORDER_EVENTS, json!({"status": "lost"})).await,
        "VALIDATION_ERROR"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn stock_levels_follow_warehouse_stock_of_watched_products_only() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    bus_ready(&app).await;
    let mut ws = open(&app, &Auth::None).await;
    subscribe(
        &mut ws,
        "s",
        "subscription($p: [UUID!]!) { stockLevels(productIds: $p) { productId variantId stock } }",
        json!({"p": [BAG]}),
    )
    .await;
    let set = "mutation($w: UUID!, $items: [StockLineInput!]!) { setWarehouseStock(warehouseId: $w, items: $items) { quantity } }";
    // An unwatched product first, then the watched one.
    app.gql(
        &admin,
        set,
        json!({"w": DEFAULT_WAREHOUSE, "items": [{"productId": SHIRT, "variantId": SHIRT_S, "quantity": 77}]}),
    )
    .await
    .ok();
    app.gql(
        &admin,
        set,
        json!({"w": DEFAULT_WAREHOUSE, "items": [{"productId": BAG, "quantity": 555}]}),
    )
    .await
    .ok();
    let stock = app
        .gql(
            &Auth::None,
            "query($id: UUID) { product(id: $id) { stock } }",
            json!({"id": BAG}),
        )
        .await
        .ok()
        .data("product.stock")
        .clone();
    let e = event(&mut ws, "s", "stockLevels").await;
    assert_eq!(
        e,
        json!({"productId": BAG, "variantId": null, "stock": stock})
    );
    quiet(&mut ws, 300).await;

    let mut bad = open(&app, &Auth::None).await;
    assert_eq!(
        refused(
            &mut bad,
            "1",
            "subscription { stockLevels(productIds: []) { stock } }",
            json!({})
        )
        .await,
        "VALIDATION_ERROR"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cart_events_reach_the_owner_only() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let maria = customer(&app, "maria@example.com").await;
    bus_ready(&app).await;
    let create = "mutation { createCart { id sessionId } }";
    let mine = app.gql(&Auth::None, create, json!({})).await.ok();
    let (id, session) = (
        mine.data("createCart.id").clone(),
        mine.data("createCart.sessionId").clone(),
    );
    let other = app.gql(&Auth::None, create, json!({})).await.ok();
    const SUB: &str = "subscription($c: UUID!, $s: String) { cartEvents(cartId: $c, sessionId: $s) { cartId kind } }";

    let mut stranger = open(&app, &Auth::None).await;
    assert_eq!(
        refused(
            &mut stranger,
            "1",
            SUB,
            json!({"c": id, "s": "not-the-session"})
        )
        .await,
        "FORBIDDEN"
    );
    let mut signed_in = open(&app, &maria).await;
    assert_eq!(
        refused(&mut signed_in, "1", SUB, json!({"c": id})).await,
        "FORBIDDEN"
    );

    let mut owner = open(&app, &Auth::None).await;
    subscribe(&mut owner, "c", SUB, json!({"c": id, "s": session})).await;
    let add = "mutation($c: UUID!, $s: String) { addToCart(cartId: $c, sessionId: $s, input: {productId: \"0d000000-0000-4000-8005-000000000004\", quantity: 1}) { id } }";
    // A change of another cart first, then of the watched one.
    app.gql(
        &Auth::None,
        add,
        json!({"c": other.data("createCart.id"), "s": other.data("createCart.sessionId")}),
    )
    .await
    .ok();
    app.gql(&Auth::None, add, json!({"c": id, "s": session}))
        .await
        .ok();
    let e = event(&mut owner, "c", "cartEvents").await;
    assert_eq!(e, json!({"cartId": id, "kind": "cart.changed"}));
    quiet(&mut owner, 300).await;

    // Every other cart write emits too: quantity, discount code on and off, line removal.
    let item = app
        .gql(
            &Auth::None,
            "query($c: UUID!, $s: String) { cart(id: $c, sessionId: $s) { items { id } } }",
            json!({"c": id, "s": session}),
        )
        .await
        .ok()
        .data("cart.items")[0]["id"]
        .clone();
    let vars = json!({"c": id, "s": session, "i": item});
    for write in [
        "mutation($c: UUID!, $s: String, $i: UUID!) { updateCartItem(cartId: $c, itemId: $i, quantity: 2, sessionId: $s) { id } }",
        "mutation($c: UUID!, $s: String) { applyCartDiscount(cartId: $c, code: \"DEMO10\", sessionId: $s) { id } }",
        "mutation($c: UUID!, $s: String) { removeCartDiscount(cartId: $c, sessionId: $s) { id } }",
        "mutation($c: UUID!, $s: String, $i: UUID!) { removeCartItem(cartId: $c, itemId: $i, sessionId: $s) { id } }",
    ] {
        app.gql(&Auth::None, write, vars.clone()).await.ok();
        let e = event(&mut owner, "c", "cartEvents").await;
        assert_eq!(e, json!({"cartId": id, "kind": "cart.changed"}), "{write}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bus_catches_up_after_its_connection_is_killed() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    bus_ready(&app).await;
    let mut ws = open(&app, &admin).await;
    subscribe(&mut ws, "o", ORDER_EVENTS, json!({})).await;
    let bus = app.app.state.events.clone();
    let connects = bus.connects();

    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    let killed = diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = '{}'",
        stoa_server::events::APPLICATION_NAME
    ))
    .execute(&mut c)
    .await
    .expect("terminate");
    assert_eq!(killed, 1);
    for _ in 0..200 {
        if !bus.is_listening() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(!bus.is_listening(), "the listener noticed");
    // Written while nobody listens: no notification reaches this instance.
    app.gql(&admin, SET_STATUS, json!({"id": DEMO2, "s": "confirmed"}))
        .await
        .ok();
    assert_eq!(
        bus.connects(),
        connects,
        "still down when the event committed"
    );

    let e = event(&mut ws, "o", "orderEvents").await;
    assert_eq!(
        (&e["orderId"], &e["status"]),
        (&json!(DEMO2), &json!("confirmed"))
    );
    // Delivered by the catch-up (no listener heard its notification). Notifications flow
    // again after the reconnect, and the caught-up event came once.
    app.gql(&admin, SET_STATUS, json!({"id": DEMO2, "s": "processing"}))
        .await
        .ok();
    let e = event(&mut ws, "o", "orderEvents").await;
    assert_eq!(e["status"], "processing");
    quiet(&mut ws, 300).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_committed_event_whose_notification_was_lost_is_swept_up() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    bus_ready(&app).await;
    let mut ws = open(&app, &admin).await;
    subscribe(&mut ws, "o", ORDER_EVENTS, json!({})).await;
    app.gql(&admin, SET_STATUS, json!({"id": DEMO2, "s": "confirmed"}))
        .await
        .ok();
    assert_eq!(
        event(&mut ws, "o", "orderEvents").await["status"],
        "confirmed"
    );

    // An event committed without its NOTIFY (an instance dying between a checkout's commit
    // and its notification): no listener hears about it, the periodic sweep finds it.
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    let copied = diesel::sql_query(
        "INSERT INTO domain_events (kind, entity_id, customer_id, payload)
         SELECT kind, entity_id, customer_id, payload FROM domain_events
          WHERE kind = 'order.status_changed' ORDER BY id DESC LIMIT 1",
    )
    .execute(&mut c)
    .await
    .expect("insert");
    assert_eq!(copied, 1);
    let m = tokio::time::timeout(
        stoa_server::events::SWEEP_EVERY + Duration::from_secs(4),
        next_json(&mut ws),
    )
    .await
    .expect("swept up within the sweep interval")
    .expect("open socket");
    assert_eq!(
        m["payload"]["data"]["orderEvents"]["status"], "confirmed",
        "{m}"
    );
    assert_eq!(m["payload"]["data"]["orderEvents"]["orderId"], DEMO2);
    // Published once.
    quiet(&mut ws, 300).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_checkout_on_one_instance_reaches_the_feeds_of_another() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.seed_demo().await;
    let admin = a.staff("admin").await;
    let maria = customer(&b, "maria@example.com").await;
    bus_ready(&a).await;
    let mut orders = open(&a, &admin).await;
    subscribe(&mut orders, "o", ORDER_EVENTS, json!({"status": "pending"})).await;
    let mut stock = open(&a, &Auth::None).await;
    subscribe(
        &mut stock,
        "s",
        "subscription($p: [UUID!]!) { stockLevels(productIds: $p) { productId variantId stock } }",
        json!({"p": [BAG]}),
    )
    .await;
    let before = a
        .gql(
            &Auth::None,
            "query($id: UUID) { product(id: $id) { stock } }",
            json!({"id": BAG}),
        )
        .await
        .ok()
        .data("product.stock")
        .as_i64()
        .expect("stock");
    let address = json!({"firstName": "Maria", "lastName": "Schmidt", "street": "Hauptstraße 1", "city": "Berlin", "postalCode": "10115", "country": "DE"});
    let placed = b
        .gql(
            &maria,
            "mutation($i: CheckoutInput!) { checkout(input: $i) { order { id orderNumber total } } }",
            json!({"i": {
                "items": [{"productId": BAG, "quantity": 1}],
                "billingAddress": address,
                "shippingAddress": address,
                "paymentMethodId": "0d000000-0000-4000-800b-000000000001",
                "paymentReference": "live-events-test",
            }}),
        )
        .await
        .ok();
    let e = event(&mut orders, "o", "orderEvents").await;
    assert_eq!(e["kind"], "order.created");
    assert_eq!(e["orderId"], *placed.data("checkout.order.id"));
    assert_eq!(e["orderNumber"], *placed.data("checkout.order.orderNumber"));
    assert_eq!(e["total"], *placed.data("checkout.order.total"));
    assert_eq!(
        (&e["status"], &e["previousStatus"]),
        (&json!("pending"), &Value::Null)
    );
    assert_eq!(e["customerId"], "0d000000-0000-4000-800c-000000000001");
    let e = event(&mut stock, "s", "stockLevels").await;
    assert_eq!(
        e,
        json!({"productId": BAG, "variantId": null, "stock": before - 1})
    );
}

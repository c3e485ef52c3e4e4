//! Subscriptions over WebSocket with both protocols, authenticated in `connection_init`.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use stoa_tests::TestApp;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub(crate) type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(app: &TestApp, protocol: &str) -> Ws {
    let mut req = format!("ws://{}/graphql/ws", app.addr)
        .into_client_request()
        .expect("request");
    req.headers_mut()
        .insert("sec-websocket-protocol", protocol.parse().expect("header"));
    let (ws, resp) = tokio_tungstenite::connect_async(req)
        .await
        .expect("connect");
    assert_eq!(resp.headers()["sec-websocket-protocol"], protocol);
    ws
}

pub(crate) async fn next_json(ws: &mut Ws) -> Option<Value> {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("timely message")?;
        match msg.ok()? {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(&t).expect("json");
                if v["type"] == "ka" || v["type"] == "ping" {
                    continue;
                }
                return Some(v);
            }
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

pub(crate) async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("send");
}

const HEARTBEAT: &str = "subscription { heartbeat(intervalMs: 100) { seq principal } }";

#[tokio::test(flavor = "multi_thread")]
async fn graphql_transport_ws_with_a_token() {
    let app = TestApp::new().await;
    let staff = app.staff("admin").await;
    let stoa_tests::Auth::Bearer(token) = staff else {
        panic!("bearer")
    };
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await.expect("ack")["type"],
        "connection_ack"
    );
    send(
        &mut ws,
        json!({"id": "1", "type": "subscribe", "payload": {"query": HEARTBEAT}}),
    )
    .await;
    for seq in 1..=2 {
        let m = next_json(&mut ws).await.expect("next");
        assert_eq!(m["type"], "next");
        assert_eq!(m["payload"]["data"]["heartbeat"]["seq"], seq);
        assert_eq!(m["payload"]["data"]["heartbeat"]["principal"], "admin");
    }
    send(&mut ws, json!({"id": "1", "type": "complete"})).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_graphql_ws_anonymous() {
    let app = TestApp::new().await;
    let mut ws = connect(&app, "graphql-ws").await;
    send(&mut ws, json!({"type": "connection_init", "payload": {}})).await;
    assert_eq!(
        next_json(&mut ws).await.expect("ack")["type"],
        "connection_ack"
    );
    send(
        &mut ws,
        json!({"id": "1", "type": "start", "payload": {"query": HEARTBEAT}}),
    )
    .await;
    let m = next_json(&mut ws).await.expect("data");
    assert_eq!(m["type"], "data");
    assert_eq!(m["payload"]["data"]["heartbeat"]["principal"], "anonymous");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_credentials_in_connection_init_close_the_connection() {
    let app = TestApp::new().await;
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}),
    )
    .await;
    // The server refuses: no ack, the socket closes.
    match next_json(&mut ws).await {
        None => {}
        Some(v) => assert_ne!(v["type"], "connection_ack", "{v}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn subscription_arguments_are_validated() {
    let app = TestApp::new().await;
    let mut ws = connect(&app, "graphql-transport-ws").await;
    send(&mut ws, json!({"type": "connection_init"})).await;
    assert_eq!(
        next_json(&mut ws).await.expect("ack")["type"],
        "connection_ack"
    );
    send(&mut ws, json!({"id": "9", "type": "subscribe", "payload": {"query": "subscription { heartbeat(intervalMs: 1) { seq } }"}})).await;
    let m = next_json(&mut ws).await.expect("error");
    let errors = if m["type"] == "error" {
        m["payload"].clone()
    } else {
        m["payload"]["errors"].clone()
    };
    assert_eq!(errors[0]["extensions"]["code"], "VALIDATION_ERROR", "{m}");
}

/// Waits until the instance's event bus is listening (it starts with the server).
async fn bus_ready(app: &TestApp) {
    for _ in 0..200 {
        if app.app.state.events.is_listening() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the event bus did not start listening");
}

/// A `graphql-transport-ws` connection signed in with `token`, subscribed to the staff order
/// feed as `id`; returns once the server has taken the subscription up (a heartbeat started
/// after it on the same socket has ticked).
async fn order_feed(app: &TestApp, token: &str, id: &str) -> Ws {
    let mut ws = connect(app, "graphql-transport-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"Authorization": if token.contains(' ') {
            token.to_owned()
        } else {
            format!("Bearer {token}")
        }}}),
    )
    .await;
    assert_eq!(
        next_json(&mut ws).await.expect("ack")["type"],
        "connection_ack"
    );
    send(
        &mut ws,
        json!({"id": id, "type": "subscribe", "payload": {"query": "subscription { orderEvents { kind orderNumber } }"}}),
    )
    .await;
    send(
        &mut ws,
        json!({"id": "sync", "type": "subscribe", "payload": {"query": HEARTBEAT}}),
    )
    .await;
    let m = next_json(&mut ws).await.expect("heartbeat");
    assert_eq!(m["id"], "sync", "unexpected message before any event: {m}");
    send(&mut ws, json!({"id": "sync", "type": "complete"})).await;
    ws
}

/// The next message of subscription `id` (late heartbeat ticks skipped).
async fn next_of(ws: &mut Ws, id: &str) -> Value {
    loop {
        let m = next_json(ws).await.expect("open socket");
        if m["id"] == "sync" {
            continue;
        }
        assert_eq!(m["id"], id, "{m}");
        return m;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_on_another_instance_ends_the_tokens_subscriptions() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.seed_demo().await;
    let stoa_tests::Auth::Bearer(leaving) = a.staff("admin").await else {
        panic!("bearer")
    };
    let stoa_tests::Auth::Bearer(staying) = a.staff("admin").await else {
        panic!("bearer")
    };
    bus_ready(&a).await;
    let mut gone = order_feed(&a, &leaving, "gone").await;
    let mut kept = order_feed(&a, &staying, "kept").await;

    // Log out on the other instance, then cause an order event there.
    let out = b
        .gql(
            &stoa_tests::Auth::Bearer(leaving.clone()),
            "mutation { logout }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(out.data("logout"), true);
    let maria = stoa_tests::Auth::Bearer(b.login("maria@example.com", "Demo1234!").await.access);
    let address = json!({"firstName": "Maria", "lastName": "Schmidt", "street": "Hauptstraße 1", "city": "Berlin", "postalCode": "10115", "country": "DE"});
    let placed = b
        .gql(
            &maria,
            "mutation($i: CheckoutInput!) { checkout(input: $i) { order { orderNumber } } }",
            json!({"i": {
                "items": [{"productId": "0d000000-0000-4000-8005-000000000004", "quantity": 1}],
                "billingAddress": address,
                "shippingAddress": address,
                "paymentMethodId": "0d000000-0000-4000-800b-000000000001",
                "paymentReference": "revocation-test",
            }}),
        )
        .await
        .ok();
    let number = placed.data("checkout.order.orderNumber").clone();

    // The revoked token's subscription ends with TOKEN_REVOKED instead of the event …
    let m = next_of(&mut gone, "gone").await;
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "TOKEN_REVOKED",
        "{m}"
    );
    assert!(m["payload"]["data"]["orderEvents"].is_null(), "{m}");
    assert_eq!(next_of(&mut gone, "gone").await["type"], "complete");
    // … and a new subscription on the same connection is refused.
    send(
        &mut gone,
        json!({"id": "again", "type": "subscribe", "payload": {"query": "subscription { orderEvents { kind } }"}}),
    )
    .await;
    let m = next_of(&mut gone, "again").await;
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "TOKEN_REVOKED",
        "{m}"
    );
    assert_eq!(next_of(&mut gone, "again").await["type"], "complete");

    // Another staff member's subscription still gets the order.
    let m = next_of(&mut kept, "kept").await;
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(m["payload"]["data"]["orderEvents"]["kind"], "order.created");
    assert_eq!(m["payload"]["data"]["orderEvents"]["orderNumber"], number);
}

#[tokio::test(flavor = "multi_thread")]
async fn revoking_an_api_key_on_another_instance_ends_its_subscriptions() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.seed_demo().await;
    let admin = a.staff("admin").await;
    let created = a
        .gql(
            &admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }",
            json!({"i": {"name": "dashboard", "permissions": ["orders.read"]}}),
        )
        .await
        .ok();
    let key = created
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    let key_id = created.data("createApiKey.apiKey.id").clone();
    let stoa_tests::Auth::Bearer(staying) = a.staff("admin").await else {
        panic!("bearer")
    };
    bus_ready(&a).await;
    let mut gone = order_feed(&a, &format!("ApiKey {key}"), "gone").await;
    let mut kept = order_feed(&a, &staying, "kept").await;

    let revoked = b
        .gql(
            &admin,
            "mutation($id: UUID!) { revokeApiKey(id: $id) }",
            json!({"id": key_id}),
        )
        .await
        .ok();
    assert_eq!(revoked.data("revokeApiKey"), true);
    b.gql(
        &admin,
        "mutation($id: UUID!, $s: String!) { updateOrderStatus(id: $id, status: $s) { status } }",
        json!({"id": "0d000000-0000-4000-800f-000000000002", "s": "confirmed"}),
    )
    .await
    .ok();

    // The key's subscription ends with TOKEN_REVOKED instead of the event …
    let m = next_of(&mut gone, "gone").await;
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "TOKEN_REVOKED",
        "{m}"
    );
    assert_eq!(next_of(&mut gone, "gone").await["type"], "complete");
    // … while the staff member's subscription gets it.
    let m = next_of(&mut kept, "kept").await;
    assert_eq!(
        m["payload"]["data"]["orderEvents"]["kind"], "order.status_changed",
        "{m}"
    );
}

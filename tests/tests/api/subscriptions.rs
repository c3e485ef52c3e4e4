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

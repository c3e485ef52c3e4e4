//! Plugin extension points, proved with the built-in `order_guard` plugin: its migration
//! (table `order_guard.log`, listed and reverted with the core's), its GraphQL fields (with
//! the core's permission guards), its REST row (Stoa envelope, OpenAPI), and its own HTTP
//! route under `/plugins/order_guard/` behind the global middleware. The MCP tool is tested
//! in `tests/mcp/plugins.rs`; refusals of bad contributions in `server/src/plugins.rs`.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::checkout::{BAG, CARD, STANDARD, address, call, code, sql};

const LOG: &str = "query($limit: Int) { orderGuardLog(limit: $limit) { orderId orderNumber status total currency seenAt } }";

/// An app whose `order_guard` hooks are on (`plugins.order_guard` configured, no limit).
async fn guarded_app() -> TestApp {
    let app = TestApp::with_config(|c| {
        c.plugins.insert("order_guard".into(), json!({}));
    })
    .await;
    app.seed_demo().await;
    app
}

/// A guest checkout of one bag over GraphQL; returns the order id.
async fn checkout(app: &TestApp) -> String {
    let r = app
        .gql(
            &Auth::None,
            "mutation($i: CheckoutInput!) { checkout(input: $i) { order { id } } }",
            json!({"i": {"billingAddress": address(), "shippingAddress": address(),
                         "shippingMethodId": STANDARD, "paymentMethodId": CARD,
                         "paymentReference": "pi_plugin", "items": [{"productId": BAG, "quantity": 1}]}}),
        )
        .await
        .ok();
    r.data("checkout.order.id")
        .as_str()
        .expect("order id")
        .to_owned()
}

async fn get(app: &TestApp, path: &str, auth: &Auth) -> (u16, Value, Option<String>) {
    let mut req = app.http().get(app.url(path));
    if let Auth::Bearer(t) = auth {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let request_id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body, request_id)
}

/// Rows of `order_guard.log`, through the plugin's own query.
async fn log_count(url: &str) -> Result<i64, String> {
    let mut c = stoa_db::pool::establish(url)
        .await
        .map_err(|e| e.to_string())?;
    stoa_plugin_order_guard::log::LogEntry::count(&mut c)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn plugin_migrations_run_after_the_core_and_revert_first() {
    use stoa_server::database::{migrate_down, migrate_up, migration_status};
    let db = stoa_tests::TestDb::new().await;
    let status = migration_status(db.url()).await.expect("status");
    let mine: Vec<_> = status.iter().filter(|m| m.owner == "order_guard").collect();
    assert_eq!(mine.len(), 1, "{status:?}");
    assert!(mine[0].applied);
    assert_eq!(mine[0].version, "20261201170000");
    assert_eq!(status[0].owner, "core", "the core's migrations come first");

    assert_eq!(log_count(db.url()).await.expect("the table exists"), 0);

    // The plugin's migration ran last, so `down` reverts it (not a core migration).
    let reverted = migrate_down(db.url()).await.expect("down");
    assert_eq!(reverted, Some(("order_guard", "20261201170000".to_owned())));
    assert!(log_count(db.url()).await.is_err(), "the table is gone");
    let status = migration_status(db.url()).await.expect("status");
    assert!(
        status.iter().all(|m| m.applied == (m.owner == "core")),
        "{status:?}"
    );
    assert_eq!(migrate_up(db.url()).await.expect("up"), ["20261201170000"]);
    assert_eq!(log_count(db.url()).await.expect("the table is back"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_graphql_field_returns_what_the_after_hook_logged_for_staff_only() {
    let app = guarded_app().await;
    let id = checkout(&app).await;
    let number = sql(
        &app,
        &format!("SELECT order_number FROM orders WHERE id = '{id}'"),
    );
    let admin = app.staff("admin").await;
    let r = app.gql(&admin, LOG, json!({})).await.ok();
    let log = r.data("orderGuardLog");
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{log}");
    assert_eq!(log[0]["orderId"], json!(id));
    assert_eq!(log[0]["orderNumber"], json!(number));
    assert_eq!(log[0]["status"], "pending");
    assert_eq!(
        log[0]["total"].as_i64().map(|t| t.to_string()),
        Some(sql(
            &app,
            &format!("SELECT total FROM orders WHERE id = '{id}'")
        ))
    );
    // A manager holds orders.read too.
    let manager = app.staff("manager").await;
    let r = app.gql(&manager, LOG, json!({"limit": 1})).await.ok();
    assert_eq!(r.data("orderGuardLog")[0]["orderNumber"], json!(number));

    let r = app.gql(&Auth::None, LOG, json!({})).await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let (customer, _) = app.customer().await;
    let r = app.gql(&customer, LOG, json!({})).await;
    assert_eq!(r.code(), "FORBIDDEN");
    let r = app.gql(&admin, LOG, json!({"limit": 0})).await;
    assert_eq!(r.code(), "VALIDATION_ERROR");

    // The plugin's mutation: staff with orders.update; audited.
    let clear = "mutation { clearOrderGuardLog }";
    assert_eq!(
        app.gql(&customer, clear, json!({})).await.code(),
        "FORBIDDEN"
    );
    let r = app.gql(&admin, clear, json!({})).await.ok();
    assert_eq!(r.data("clearOrderGuardLog"), &json!(1));
    let r = app.gql(&admin, LOG, json!({})).await.ok();
    assert_eq!(r.data("orderGuardLog"), &json!([]));
    assert_eq!(
        sql(
            &app,
            "SELECT count(*) FROM audit_logs WHERE entity_type = 'order_guard_log' AND action = 'clear'"
        ),
        "1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_configuration_the_hooks_stay_off_but_the_field_exists() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    checkout(&app).await;
    let admin = app.staff("admin").await;
    let r = app.gql(&admin, LOG, json!({})).await.ok();
    assert_eq!(r.data("orderGuardLog"), &json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_rest_row_answers_in_the_stoa_envelope_and_is_in_the_openapi_document() {
    let app = guarded_app().await;
    let id = checkout(&app).await;
    let number = sql(
        &app,
        &format!("SELECT order_number FROM orders WHERE id = '{id}'"),
    );
    let admin = app.staff("admin").await;
    let r = call(
        &app,
        "GET",
        "/api/v1/admin/order-guard/log?limit=10",
        &admin,
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let entry = &r.body["data"][0];
    assert_eq!(entry["order_id"], json!(id));
    assert_eq!(entry["order_number"], json!(number));
    assert_eq!(entry["status"], "pending");
    let keys: Vec<&str> = entry
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "order_id",
            "order_number",
            "status",
            "total",
            "currency",
            "seen_at"
        ],
        "fields in the operation's order"
    );

    let r = call(
        &app,
        "GET",
        "/api/v1/admin/order-guard/log",
        &Auth::None,
        &[],
        None,
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let (customer, _) = app.customer().await;
    let r = call(
        &app,
        "GET",
        "/api/v1/admin/order-guard/log",
        &customer,
        &[],
        None,
    )
    .await;
    assert_eq!(
        (r.status, code(&r)),
        (403, ("unauthorized", "insufficient permissions")),
        "{}",
        r.body
    );

    let (status, doc, _) = get(&app, "/api/v1/openapi.json", &Auth::None).await;
    assert_eq!(status, 200);
    let op = &doc["paths"]["/api/v1/admin/order-guard/log"]["get"];
    assert_eq!(op["operationId"], "RestOrderGuardLog", "{op}");
    assert_eq!(
        op["x-graphql-operation"],
        "plugins/example/operations/rest/log.graphql"
    );
    let item = &op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
        ["items"];
    assert!(
        item["properties"]["order_number"].is_object(),
        "the response schema comes from the plugin's GraphQL type: {op}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plugin_http_route_is_mounted_behind_the_global_middleware() {
    let app = guarded_app().await;
    checkout(&app).await;
    let admin = app.staff("admin").await;
    let (status, body, request_id) = get(&app, "/plugins/order_guard/status", &admin).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["plugin"], "order_guard");
    assert_eq!(body["data"]["logged_orders"], 1);
    assert!(request_id.is_some(), "the request-id layer applies");

    let (status, body, _) = get(&app, "/plugins/order_guard/status", &Auth::None).await;
    assert_eq!(
        (status, &body["errors"][0]["code"]),
        (401, &json!("unauthenticated"))
    );
    let (customer, _) = app.customer().await;
    let (status, body, _) = get(&app, "/plugins/order_guard/status", &customer).await;
    assert_eq!(
        (status, &body["errors"][0]["code"]),
        (403, &json!("forbidden"))
    );
    let (status, _, _) = get(&app, "/plugins/order_guard/nope", &admin).await;
    assert_eq!(status, 404);
}

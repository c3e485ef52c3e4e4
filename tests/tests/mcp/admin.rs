//! `/mcp/admin`: staff only (401/403 before any session), audit log with its pagination
//! summary, settings, permissions of staff keys, the 2026-07-28 flow.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, connect_modern, error_code, ok, text, try_connect};

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}"#;

async fn initialize(app: &TestApp, auth: Option<String>) -> (u16, Option<String>, Value) {
    let mut req = app
        .http()
        .post(app.url("/mcp/admin"))
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(INITIALIZE);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let challenge = resp
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp.text().await.expect("body");
    (
        status,
        challenge,
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    )
}

async fn staff_key(app: &TestApp, perms: &[&str]) -> String {
    let admin = app.staff("admin").await;
    app.gql(
        &admin,
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
        json!({"i": {"name": "mcp", "permissions": perms}}),
    )
    .await
    .ok()
    .data("createApiKey.key")
    .as_str()
    .expect("key")
    .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_server_refuses_non_staff_before_any_session() {
    let app = TestApp::new().await;
    let (status, challenge, body) = initialize(&app, None).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(challenge.as_deref(), Some("Bearer, ApiKey"));
    assert_eq!(body["error"]["data"]["code"], "UNAUTHENTICATED");

    let (status, _, body) = initialize(&app, Some("ApiKey ck_unknown".into())).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["data"]["code"], "INVALID_API_KEY");

    let (customer, _) = app.customer().await;
    let Auth::Bearer(token) = &customer else {
        panic!("bearer");
    };
    let (status, _, body) = initialize(&app, Some(format!("Bearer {token}"))).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["data"]["code"], "FORBIDDEN");

    // The rmcp client sees the refusal at connect time.
    let refused = try_connect(&app, "admin", &customer).await;
    assert!(refused.is_err(), "a customer must not get an admin session");

    // Staff get a session (no standalone SSE stream: GET is 405).
    let staff = app.staff("manager").await;
    let Auth::Bearer(token) = &staff else {
        panic!("bearer");
    };
    let (status, _, _) = initialize(&app, Some(format!("Bearer {token}"))).await;
    assert_eq!(status, 200);
    let get = app
        .http()
        .get(app.url("/mcp/admin"))
        .header("accept", "text/event-stream")
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .expect("get");
    assert_eq!(get.status().as_u16(), 405);
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_manage_settings_and_read_the_audit_log() {
    let app = TestApp::new().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;
    let tools = mcp.list_all_tools().await.expect("tools");
    let names: BTreeSet<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    // Every row of the table (core and built-in plugins) is listed, and nothing else.
    let rows: BTreeSet<&str> = app
        .app
        .extensions
        .mcp_admin
        .iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, rows);
    for expected in [
        "admin_list_audit_log",
        "admin_get_settings",
        "admin_update_settings",
        "admin_list_products",
        "admin_get_product",
        "admin_delete_product",
        "admin_list_tax_rules",
        "admin_list_property_groups",
        "admin_list_warehouses",
        "admin_set_warehouse_stock",
        "admin_list_tags",
        "admin_create_tag",
        "admin_delete_tag",
        "admin_list_categories",
        "admin_get_category",
        "admin_get_warehouse",
        "admin_get_warehouse_stock",
        "admin_get_product_stock",
        "admin_list_media",
        "admin_delete_media",
    ] {
        assert!(names.contains(expected), "{expected} is missing");
    }
    let audit = tools
        .iter()
        .find(|t| t.name == "admin_list_audit_log")
        .expect("audit tool");
    assert_eq!(
        Value::Object(audit.input_schema.as_ref().clone()),
        json!({
            "type": "object",
            "properties": {
                "page": {"type": "integer", "default": 1, "description": "Page number, starting at 1."},
                "limit": {"type": "integer", "default": 20, "description": "Entries per page."},
                "entity_type": {"type": "string", "description": "Only entries about this entity type (e.g. `settings`, `api_key`)."},
                "action": {"type": "string", "description": "Only this action (`create`, `update`, `delete`, …)."},
                "user_id": {"type": "string", "format": "uuid", "description": "Only changes by this user or key."},
                "entity_id": {"type": "string", "format": "uuid", "description": "Only changes of this entity."},
                "channel": {"type": "string", "description": "Only changes through `graphql`, `rest` or `mcp` (agents)."},
            },
            "additionalProperties": false,
        })
    );
    let update = tools
        .iter()
        .find(|t| t.name == "admin_update_settings")
        .expect("update tool");
    let a = update.annotations.clone().expect("annotations");
    assert_eq!(
        (a.read_only_hint, a.destructive_hint, a.idempotent_hint),
        (Some(false), Some(true), Some(true))
    );

    for name in ["Stoa MCP Shop", "Stoa MCP Shop 2", "Stoa MCP Shop 3"] {
        let s = ok(&call(
            &mcp,
            "admin_update_settings",
            json!({"store_name": name, "maintenance_mode": false}),
        )
        .await);
        assert_eq!(s["storeName"], name);
    }
    let s = ok(&call(&mcp, "admin_get_settings", json!({})).await);
    assert_eq!(s["storeName"], "Stoa MCP Shop 3");

    let bad = call(&mcp, "admin_update_settings", json!({"currency": "euro"})).await;
    assert_eq!(error_code(&bad), "VALIDATION_ERROR");

    let page = call(
        &mcp,
        "admin_list_audit_log",
        json!({"limit": 2, "entity_type": "settings"}),
    )
    .await;
    let v = ok(&page);
    let total = v["total"].as_i64().expect("total");
    assert!(total >= 3, "{v}");
    assert_eq!(v["items"].as_array().expect("items").len(), 2);
    assert_eq!(v["items"][0]["entityType"], "settings");
    let pages = (total + 1) / 2;
    assert!(
        text(&page).ends_with(&format!("\n\n---\nPage 1 of {pages} (total: {total})")),
        "{}",
        text(&page)
    );
    let page2 = ok(&call(
        &mcp,
        "admin_list_audit_log",
        json!({"page": 2, "limit": 2, "entity_type": "settings"}),
    )
    .await);
    assert_eq!(page2["page"], 2);
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_keys_are_held_to_their_permissions() {
    let app = TestApp::new().await;
    let key = staff_key(&app, &["audit.read", "settings.read"]).await;
    let mcp = connect(&app, "admin", &Auth::ApiKey(key)).await;
    ok(&call(&mcp, "admin_list_audit_log", json!({})).await);
    ok(&call(&mcp, "admin_get_settings", json!({})).await);
    let denied = call(&mcp, "admin_update_settings", json!({"store_name": "x"})).await;
    assert_eq!(error_code(&denied), "FORBIDDEN");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2026_client_uses_the_admin_server_without_a_session() {
    let app = TestApp::new().await;
    let key = staff_key(&app, &["audit.read"]).await;
    let mcp = connect_modern(&app, "admin", &Auth::ApiKey(key)).await;
    let version = mcp.peer_info().expect("info").protocol_version.clone();
    assert_eq!(version, rmcp::model::ProtocolVersion::V_2026_07_28);
    let tools = mcp.list_all_tools().await.expect("tools");
    assert_eq!(tools.len(), app.app.extensions.mcp_admin.len());
    let v = ok(&call(&mcp, "admin_list_audit_log", json!({"limit": 5})).await);
    assert_eq!(v["limit"], 5);
    mcp.cancel().await.expect("close");
}

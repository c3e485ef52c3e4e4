//! A plugin's MCP tool (`admin_order_guard_log` of the built-in `order_guard` plugin) is
//! listed by `/mcp/admin` only, and returns what the plugin logged.

use serde_json::json;
use stoa_tests::TestApp;

use crate::support::{call, connect, ok};

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_server_lists_and_runs_the_plugin_tool() {
    let app = TestApp::new().await;
    let order_id = uuid::Uuid::now_v7();
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    stoa_plugin_order_guard::log::LogEntry::record(
        &mut c,
        stoa_plugin_order_guard::log::NewLogEntry {
            id: uuid::Uuid::now_v7(),
            order_id,
            order_number: "ORD-PLUGIN-1",
            status: "pending",
            total: 4990,
            currency: "EUR",
        },
    )
    .await
    .expect("log entry");

    let admin = app.staff("admin").await;
    let mcp = connect(&app, "admin", &admin).await;
    let tools = mcp.list_all_tools().await.expect("tools/list");
    let tool = tools
        .iter()
        .find(|t| t.name == "admin_order_guard_log")
        .expect("the plugin tool is listed");
    assert!(
        tool.input_schema
            .get("properties")
            .and_then(|p| p.get("limit"))
            .is_some(),
        "{:?}",
        tool.input_schema
    );
    let r = ok(&call(&mcp, "admin_order_guard_log", json!({"limit": 5})).await);
    assert_eq!(
        r["orderGuardLog"],
        json!([{"orderId": order_id, "orderNumber": "ORD-PLUGIN-1", "status": "pending",
                "total": 4990, "currency": "EUR", "seenAt": r["orderGuardLog"][0]["seenAt"]}])
    );
    assert!(r["orderGuardLog"][0]["seenAt"].is_string());

    let (customer, _) = app.customer().await;
    let store = connect(&app, "store", &customer).await;
    let tools = store.list_all_tools().await.expect("tools/list");
    assert!(!tools.iter().any(|t| t.name.contains("order_guard")));
}

//! Order tools: `admin_list_orders` with a status filter that works (the reference's tool
//! sent a parameter its API ignored), `admin_get_order`, `admin_update_order_status` with the
//! machine's refusal, and `store_list_orders`, which needs a signed-in customer.

use serde_json::json;
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok};

const DEMO1: &str = "0d000000-0000-4000-800f-000000000001";
const DEMO2: &str = "0d000000-0000-4000-800f-000000000002";

#[tokio::test(flavor = "multi_thread")]
async fn admin_order_tools_filter_read_and_change_status() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let mcp = connect(&app, "admin", &admin).await;

    let all = ok(&call(&mcp, "admin_list_orders", json!({})).await);
    assert_eq!(all["total"], 2);
    let pending = ok(&call(
        &mcp,
        "admin_list_orders",
        json!({"filter_status": "pending"}),
    )
    .await);
    assert_eq!(pending["total"], 1);
    assert_eq!(pending["items"][0]["orderNumber"], "ORD-20260301-DEMO2");
    let confirmed = ok(&call(
        &mcp,
        "admin_list_orders",
        json!({"filter_status": "confirmed"}),
    )
    .await);
    assert_eq!(confirmed["items"][0]["id"], DEMO1);
    let none = ok(&call(
        &mcp,
        "admin_list_orders",
        json!({"filter_status": "shipped"}),
    )
    .await);
    assert_eq!(none["items"], json!([]));

    let detail = ok(&call(&mcp, "admin_get_order", json!({"id": DEMO1})).await);
    assert_eq!(detail["items"][0]["sku"], "PHONE-001-SW");
    assert_eq!(detail["statusHistory"][1]["toStatus"], "confirmed");

    let refused = call(
        &mcp,
        "admin_update_order_status",
        json!({"id": DEMO2, "status": "delivered"}),
    )
    .await;
    assert_eq!(error_code(&refused), "CONFLICT");
    let changed = ok(&call(
        &mcp,
        "admin_update_order_status",
        json!({"id": DEMO2, "status": "confirmed", "comment": "paid by bank transfer"}),
    )
    .await);
    assert_eq!(changed["status"], "confirmed");
    let now = ok(&call(
        &mcp,
        "admin_list_orders",
        json!({"filter_status": "pending"}),
    )
    .await);
    assert_eq!(now["total"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn store_list_orders_needs_a_signed_in_customer() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let guest = connect(&app, "store", &Auth::None).await;
    let r = call(&guest, "store_list_orders", json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    let (customer, _) = app.customer().await;
    let mcp = connect(&app, "store", &customer).await;
    let mine = ok(&call(&mcp, "store_list_orders", json!({"limit": 5})).await);
    assert_eq!(mine["total"], 0);
    assert_eq!(mine["items"], json!([]));
}

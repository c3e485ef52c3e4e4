//! The admin discount tools: create with the API's field names (and the reference tools'
//! names as aliases), list, get, update, validate with the amount, delete.

use serde_json::json;
use stoa_tests::TestApp;

use crate::support::{call, connect, error_code, ok};

#[tokio::test(flavor = "multi_thread")]
async fn discount_tools_work_with_real_field_names_and_aliases() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let mcp = connect(&app, "admin", &admin).await;

    let created = ok(&call(
        &mcp,
        "admin_create_discount",
        json!({"code": "AGENT20", "type": "percentage", "value": 2000, "min_order_value": 1000,
               "max_uses": 10, "valid_until": "2099-01-01T00:00:00Z"}),
    )
    .await);
    assert_eq!(created["code"], "AGENT20");
    assert_eq!(created["value"], 2000);
    assert_eq!(created["minOrderValue"], 1000);
    assert_eq!(created["validUntil"], "2099-01-01T00:00:00+00:00");
    let id = created["id"].clone();

    // The reference tool's names (`amount`, `min_order_amount`, `starts_at`, `expires_at`)
    // reach the real fields; `max_uses` 0 is unlimited as its description said.
    let aliased = ok(&call(
        &mcp,
        "admin_create_discount",
        json!({"code": "LEGACY5", "type": "fixed", "amount": 500, "min_order_amount": 2000,
               "starts_at": "2020-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z",
               "max_uses": 0}),
    )
    .await);
    assert_eq!(aliased["value"], 500);
    assert_eq!(aliased["minOrderValue"], 2000);
    assert_eq!(aliased["validFrom"], "2020-01-01T00:00:00+00:00");
    assert_eq!(aliased["maxUses"], serde_json::Value::Null);

    let list = ok(&call(&mcp, "admin_list_discounts", json!({"type": "fixed"})).await);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["code"], "LEGACY5");

    let updated = ok(&call(
        &mcp,
        "admin_update_discount",
        json!({"id": id, "amount": 2500, "active": false}),
    )
    .await);
    assert_eq!(updated["value"], 2500);
    assert_eq!(updated["active"], false);
    assert_eq!(updated["minOrderValue"], 1000, "untouched");

    let got = ok(&call(&mcp, "admin_get_discount", json!({"id": id})).await);
    assert_eq!(got["usedCount"], 0);

    let valid = ok(&call(
        &mcp,
        "admin_validate_discount",
        json!({"code": "legacy5", "order_total": 4000}),
    )
    .await);
    assert_eq!(valid["amount"], 500);
    let refused = call(
        &mcp,
        "admin_validate_discount",
        json!({"code": "AGENT20", "order_total": 4000}),
    )
    .await;
    assert_eq!(error_code(&refused), "DISCOUNT_INACTIVE");
    let dup = call(
        &mcp,
        "admin_create_discount",
        json!({"code": "agent20", "type": "fixed", "value": 1}),
    )
    .await;
    assert_eq!(error_code(&dup), "CONFLICT");

    ok(&call(&mcp, "admin_delete_discount", json!({"id": id})).await);
    let gone = call(&mcp, "admin_get_discount", json!({"id": id})).await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
}

//! Customer tools: staff list/get/create/update/delete customers (permissions enforced), and
//! a signed-in customer's address book on the store server.

use serde_json::json;
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok, text};

const MARIA: &str = "0d000000-0000-4000-800c-000000000001";
const MARIA_ADDRESS: &str = "0d000000-0000-4000-800d-000000000001";
const THOMAS_ADDRESS: &str = "0d000000-0000-4000-800d-000000000002";

#[tokio::test(flavor = "multi_thread")]
async fn admin_customer_tools_list_get_update_and_delete() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;

    let page = call(&mcp, "admin_list_customers", json!({"search": "schmidt"})).await;
    let value = ok(&page);
    assert_eq!(value["total"], 1);
    assert_eq!(value["items"][0]["email"], "maria@example.com");
    assert!(
        text(&page).contains("Page 1 of 1 (total: 1)"),
        "{}",
        text(&page)
    );

    let maria = ok(&call(&mcp, "admin_get_customer", json!({"id": MARIA})).await);
    assert_eq!(maria["defaultBillingAddressId"], MARIA_ADDRESS);
    assert_eq!(maria["addresses"][0]["city"], "Berlin");
    assert!(maria.get("passwordHash").is_none());

    let updated = ok(&call(
        &mcp,
        "admin_update_customer",
        json!({"id": MARIA, "last_name": "Schmidt-Weber", "active": false}),
    )
    .await);
    assert_eq!(updated["lastName"], "Schmidt-Weber");
    assert_eq!(updated["firstName"], "Maria", "absent fields stay");
    assert_eq!(updated["active"], false);
    let foreign = call(
        &mcp,
        "admin_update_customer",
        json!({"id": MARIA, "default_shipping_address_id": THOMAS_ADDRESS}),
    )
    .await;
    assert_eq!(error_code(&foreign), "VALIDATION_ERROR");

    let created = ok(&call(
        &mcp,
        "admin_create_customer",
        json!({"email": "agent@example.com", "password": "agent-password", "first_name": "A", "last_name": "Gent"}),
    )
    .await);
    let taken = call(
        &mcp,
        "admin_create_customer",
        json!({"email": "AGENT@example.com", "password": "agent-password", "first_name": "A", "last_name": "Gent"}),
    )
    .await;
    assert_eq!(error_code(&taken), "CONFLICT");
    let gone = ok(&call(&mcp, "admin_delete_customer", json!({"id": created["id"]})).await);
    assert_eq!(gone["deleteCustomer"], true);
    let missing = call(&mcp, "admin_get_customer", json!({"id": created["id"]})).await;
    assert_eq!(error_code(&missing), "NOT_FOUND");
    mcp.cancel().await.expect("close");

    // A key holding customers.read only can read but not change.
    let key = app
        .gql(
            &staff,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "crm reader", "permissions": ["customers.read"]}}),
        )
        .await
        .ok()
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    let mcp = connect(&app, "admin", &Auth::ApiKey(key)).await;
    ok(&call(&mcp, "admin_get_customer", json!({"id": MARIA})).await);
    let refused = call(
        &mcp,
        "admin_update_customer",
        json!({"id": MARIA, "active": true}),
    )
    .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn store_address_tools_need_a_customer() {
    let app = TestApp::new().await;
    let guest = connect(&app, "store", &Auth::None).await;
    let r = call(&guest, "store_list_addresses", json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    guest.cancel().await.expect("close");

    let (customer, _) = app.customer().await;
    let mcp = connect(&app, "store", &customer).await;
    let added = ok(&call(
        &mcp,
        "store_add_address",
        json!({"first_name": "Ada", "last_name": "Lovelace", "street": "Main St 1",
               "city": "London", "zip": "N1", "country_code": "gb"}),
    )
    .await);
    assert_eq!(added["countryCode"], "GB");
    let bad = call(
        &mcp,
        "store_add_address",
        json!({"first_name": "Ada", "last_name": "Lovelace", "city": "London", "zip": "N1",
               "country_code": "GB"}),
    )
    .await;
    assert_eq!(error_code(&bad), "VALIDATION_ERROR");
    let list = ok(&call(&mcp, "store_list_addresses", json!({})).await);
    assert_eq!(list["myAddresses"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["myAddresses"][0]["id"], added["id"]);
    mcp.cancel().await.expect("close");
}

//! `/mcp/store`: tools and their derived schemas, register → login → account in one MCP
//! session, guests, customer API keys, error results.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, connect_modern, error_code, ok, text};

const STORE_TOOLS: [&str; 21] = [
    "store_register",
    "store_login",
    "store_logout",
    "store_get_account",
    "store_update_account",
    "store_get_settings",
    "store_list_products",
    "store_get_product",
    "store_search",
    "store_get_categories",
    "store_list_addresses",
    "store_add_address",
    "store_create_cart",
    "store_get_cart",
    "store_add_to_cart",
    "store_update_cart_item",
    "store_remove_from_cart",
    "store_list_orders",
    "store_get_shipping_methods",
    "store_get_payment_methods",
    "store_checkout",
];

#[tokio::test(flavor = "multi_thread")]
async fn lists_the_store_tools_with_schemas_derived_from_the_schema() {
    let app = TestApp::new().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let info = mcp.peer_info().expect("server info");
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("stoa-store")
    );
    assert!(
        info.instructions
            .as_deref()
            .is_some_and(|i| i.contains("store_login")),
        "{info:?}"
    );
    let tools = mcp.list_all_tools().await.expect("tools");
    let names: BTreeSet<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, BTreeSet::from(STORE_TOOLS));

    let by_name = |n: &str| tools.iter().find(|t| t.name == n).expect("tool").clone();
    let register = by_name("store_register");
    let schema = Value::Object(register.input_schema.as_ref().clone());
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "properties": {
                "email": {"type": "string", "description": "The customer's email (trimmed, lower-cased, unique)."},
                "password": {"type": "string", "description": "The password, 8 to 128 characters."},
                "first_name": {"type": "string", "description": "The customer's first name."},
                "last_name": {"type": "string", "description": "The customer's last name."},
            },
            "required": ["email", "password"],
            "additionalProperties": false,
        })
    );
    let a = register.annotations.expect("annotations");
    assert_eq!(
        (a.read_only_hint, a.destructive_hint, a.idempotent_hint),
        (Some(false), Some(false), Some(false))
    );
    let account = by_name("store_get_account");
    assert_eq!(
        Value::Object(account.input_schema.as_ref().clone()),
        json!({"type": "object", "properties": {}, "additionalProperties": false})
    );
    assert_eq!(
        account.annotations.expect("annotations").read_only_hint,
        Some(true)
    );
    let update = by_name("store_update_account");
    let props = update.input_schema["properties"]
        .as_object()
        .expect("props");
    let names: BTreeSet<&str> = props.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "current_password",
            "email",
            "first_name",
            "last_name",
            "new_password"
        ])
    );
    assert_eq!(
        props["new_password"]["description"],
        "A new password (8 to 128 characters); needs `currentPassword`."
    );
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn register_login_and_account_in_one_session() {
    let app = TestApp::new().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let email = format!("mcp-{}@example.com", uuid::Uuid::now_v7().simple());

    let reg = ok(&call(
        &mcp,
        "store_register",
        json!({"email": email, "password": "mcp-password-1", "first_name": "Ada", "last_name": "Lovelace"}),
    )
    .await);
    assert_eq!(reg["email"], email.as_str());
    assert_eq!(reg["firstName"], "Ada");

    // A guest has no account.
    let guest = call(&mcp, "store_get_account", json!({})).await;
    assert_eq!(error_code(&guest), "UNAUTHENTICATED");

    let wrong = call(
        &mcp,
        "store_login",
        json!({"email": email, "password": "not-the-password"}),
    )
    .await;
    assert_eq!(error_code(&wrong), "INVALID_CREDENTIALS");
    assert_eq!(
        text(&wrong),
        "INVALID_CREDENTIALS: invalid email or password"
    );

    let login = call(
        &mcp,
        "store_login",
        json!({"email": email, "password": "mcp-password-1"}),
    )
    .await;
    let value = ok(&login);
    assert_eq!(value["tokenType"], "Bearer");
    assert!(value.get("accessToken").is_none(), "{value}");
    assert!(value.get("refreshToken").is_none(), "{value}");
    assert!(text(&login).contains("signed in"), "{}", text(&login));
    assert!(!text(&login).contains("eyJ"), "no JWT in the output");

    // The session now acts as the customer.
    let account = ok(&call(&mcp, "store_get_account", json!({})).await);
    assert_eq!(account["email"], email.as_str());
    assert_eq!(account["lastName"], "Lovelace");

    let updated = ok(&call(
        &mcp,
        "store_update_account",
        json!({"first_name": "Augusta"}),
    )
    .await);
    assert_eq!(updated["firstName"], "Augusta");
    let account = ok(&call(&mcp, "store_get_account", json!({})).await);
    assert_eq!(account["firstName"], "Augusta");

    // Another MCP session is still a guest.
    let other = connect(&app, "store", &Auth::None).await;
    let r = call(&other, "store_get_account", json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    other.cancel().await.expect("close");

    // Sign out: back to guest, and the session's refresh token is revoked.
    let out = call(&mcp, "store_logout", json!({})).await;
    assert_eq!(ok(&out)["logout"], true);
    let r = call(&mcp, "store_get_account", json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn tool_errors_carry_codes_and_fields() {
    let app = TestApp::new().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let email = format!("dup-{}@example.com", uuid::Uuid::now_v7().simple());
    ok(&call(
        &mcp,
        "store_register",
        json!({"email": email, "password": "mcp-password-1"}),
    )
    .await);
    let dup = call(
        &mcp,
        "store_register",
        json!({"email": email, "password": "mcp-password-1"}),
    )
    .await;
    assert_eq!(error_code(&dup), "CONFLICT");

    // Checked by the schema's resolvers: the field comes from `extensions.field`.
    let short = call(
        &mcp,
        "store_register",
        json!({"email": "short@example.com", "password": "x"}),
    )
    .await;
    assert_eq!(error_code(&short), "VALIDATION_ERROR");
    let s = short.structured_content.clone().expect("structured");
    assert_eq!(s["errors"][0]["field"], "password", "{s}");

    // Checked against the derived schema before anything runs.
    let missing = call(&mcp, "store_register", json!({"email": "a@example.com"})).await;
    assert_eq!(error_code(&missing), "VALIDATION_ERROR");
    assert_eq!(
        text(&missing),
        "VALIDATION_ERROR (password): `password` is required"
    );
    let typed = call(
        &mcp,
        "store_login",
        json!({"email": "a@example.com", "password": 12345678}),
    )
    .await;
    assert_eq!(error_code(&typed), "VALIDATION_ERROR");
    assert!(
        text(&typed).contains("must be a string"),
        "{}",
        text(&typed)
    );
    let unknown = call(&mcp, "store_get_account", json!({"id": "x"})).await;
    assert_eq!(error_code(&unknown), "VALIDATION_ERROR");

    // An unknown tool is a protocol error, not a tool result.
    let err = mcp
        .call_tool(rmcp::model::CallToolRequestParams::new("store_nope"))
        .await
        .expect_err("unknown tool");
    assert!(format!("{err:?}").contains("store_nope"), "{err:?}");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn header_credentials_act_for_the_customer() {
    let app = TestApp::new().await;
    let (auth, email) = app.customer().await;
    let key = app
        .gql(
            &auth,
            "mutation { createStoreApiKey(input: {name: \"agent\"}) { key } }",
            json!({}),
        )
        .await
        .ok()
        .data("createStoreApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    for credential in [Auth::ApiKey(key), auth.clone()] {
        let mcp = connect(&app, "store", &credential).await;
        let account = ok(&call(&mcp, "store_get_account", json!({})).await);
        assert_eq!(account["email"], email.as_str());
        mcp.cancel().await.expect("close");
    }
    // A bad credential fails every call with its code.
    let mcp = connect(&app, "store", &Auth::ApiKey("sk_nope".into())).await;
    let r = call(&mcp, "store_get_settings", json!({})).await;
    assert_eq!(error_code(&r), "INVALID_API_KEY");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn guests_read_the_public_settings() {
    let app = TestApp::new().await;
    let mcp = connect(&app, "store", &Auth::None).await;
    let s = ok(&call(&mcp, "store_get_settings", json!({})).await);
    assert!(s["currency"].is_string(), "{s}");
    assert!(s["maintenanceMode"].is_boolean(), "{s}");
    mcp.cancel().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_2026_client_falls_back_to_a_session_and_keeps_its_sign_in() {
    let app = TestApp::new().await;
    let (_, email) = app.customer().await;
    let mcp = connect_modern(&app, "store", &Auth::None).await;
    let version = mcp.peer_info().expect("info").protocol_version.clone();
    assert_eq!(version, rmcp::model::ProtocolVersion::V_2025_11_25);
    ok(&call(
        &mcp,
        "store_login",
        json!({"email": email, "password": "customer-password-1"}),
    )
    .await);
    let account = ok(&call(&mcp, "store_get_account", json!({})).await);
    assert_eq!(account["email"], email.as_str());
    mcp.cancel().await.expect("close");
}

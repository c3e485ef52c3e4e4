//! API keys and the permission guards on admin and customer fields.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

const CREATE: &str = "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id name keyType permissions active } } }";
const CREATE_STORE: &str = "mutation($i: CreateApiKeyInput!) { createStoreApiKey(input: $i) { key apiKey { id keyType permissions customerId } } }";

async fn create_key(app: &TestApp, auth: &Auth, perms: &[&str]) -> (String, Value) {
    let r = app
        .gql(
            auth,
            CREATE,
            json!({"i": {"name": "integration", "permissions": perms}}),
        )
        .await
        .ok();
    (
        r.data("createApiKey.key").as_str().expect("key").to_owned(),
        r.data("createApiKey.apiKey").clone(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_key_acts_as_the_customer_until_revoked() {
    let app = TestApp::new().await;
    let (auth, email) = app.customer().await;
    let r = app
        .gql(&auth, CREATE_STORE, json!({"i": {"name": "my agent"}}))
        .await
        .ok();
    let key = r
        .data("createStoreApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    assert!(key.starts_with("sk_") && key.len() == 67, "{key}");
    assert_eq!(
        r.data("createStoreApiKey.apiKey.permissions")
            .as_array()
            .expect("perms")
            .len(),
        6
    );
    let id = r
        .data("createStoreApiKey.apiKey.id")
        .as_str()
        .expect("id")
        .to_owned();

    let me = app
        .gql(
            &Auth::ApiKey(key.clone()),
            "{ me { kind email apiKeyId } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(me.data("me.kind"), "CUSTOMER_API_KEY");
    assert_eq!(me.data("me.email"), email.as_str());
    assert_eq!(me.data("me.apiKeyId"), id.as_str());

    // The list never shows the secret; the database only holds its SHA-256.
    let list = app
        .gql(&auth, "{ storeApiKeys { id name active } }", json!({}))
        .await
        .ok();
    assert_eq!(list.data("storeApiKeys").as_array().expect("list").len(), 1);
    assert!(!list.body.to_string().contains(&key));

    app.gql(
        &auth,
        "mutation($id: UUID!) { revokeStoreApiKey(id: $id) }",
        json!({"id": id}),
    )
    .await
    .ok();
    let revoked = app
        .gql(&Auth::ApiKey(key), "{ me { kind } }", json!({}))
        .await;
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.code(), "INVALID_API_KEY");
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_cannot_touch_other_customers_keys() {
    let app = TestApp::new().await;
    let (alice, _) = app.customer().await;
    let (bob, _) = app.customer().await;
    let r = app
        .gql(&alice, CREATE_STORE, json!({"i": {"name": "a"}}))
        .await
        .ok();
    let id = r.data("createStoreApiKey.apiKey.id").clone();
    let steal = app
        .gql(
            &bob,
            "mutation($id: UUID!) { revokeStoreApiKey(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(steal.code(), "NOT_FOUND");
    let unknown = app
        .gql(
            &bob,
            "mutation($id: UUID!) { revokeStoreApiKey(id: $id) }",
            json!({"id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread")]
async fn store_key_limit_is_five_and_scopes_are_enforced() {
    let app = TestApp::new().await;
    let (auth, _) = app.customer().await;
    let invalid = app
        .gql(
            &auth,
            CREATE_STORE,
            json!({"i": {"name": "x", "permissions": ["products.read"]}}),
        )
        .await;
    assert_eq!(invalid.code(), "VALIDATION_ERROR");
    let r = app
        .gql(
            &auth,
            CREATE_STORE,
            json!({"i": {"name": "read only", "permissions": ["store.account.read"]}}),
        )
        .await
        .ok();
    let read_only = Auth::ApiKey(
        r.data("createStoreApiKey.key")
            .as_str()
            .expect("key")
            .to_owned(),
    );
    for i in 0..4 {
        app.gql(&auth, CREATE_STORE, json!({"i": {"name": format!("k{i}")}}))
            .await
            .ok();
    }
    let sixth = app
        .gql(&auth, CREATE_STORE, json!({"i": {"name": "one too many"}}))
        .await;
    assert_eq!(sixth.code(), "LIMIT_EXCEEDED");

    // A read-only key can read the account but not change it, nor mint keys.
    app.gql(&read_only, "{ account { email } }", json!({}))
        .await
        .ok();
    let upd = app
        .gql(
            &read_only,
            "mutation { updateAccount(input: {firstName: \"X\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(upd.code(), "FORBIDDEN");
    let mint = app
        .gql(&read_only, CREATE_STORE, json!({"i": {"name": "escalate"}}))
        .await;
    assert_eq!(mint.code(), "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_key_holds_only_its_permissions() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (key, info) = create_key(&app, &admin, &["settings.read"]).await;
    assert!(key.starts_with("ck_") && key.len() == 67);
    assert_eq!(info["keyType"], "ADMIN");
    let k = Auth::ApiKey(key);
    let me = app
        .gql(&k, "{ me { kind permissions } }", json!({}))
        .await
        .ok();
    assert_eq!(me.data("me.kind"), "STAFF_API_KEY");
    assert_eq!(me.data("me.permissions"), &json!(["settings.read"]));
    app.gql(&k, "{ settings { storeName } }", json!({}))
        .await
        .ok();
    let upd = app
        .gql(
            &k,
            "mutation { updateSettings(input: {storeName: \"X\"}) { storeName } }",
            json!({}),
        )
        .await;
    assert_eq!(upd.code(), "FORBIDDEN");
    assert_eq!(
        app.gql(&k, "{ apiKeys { id } }", json!({})).await.code(),
        "FORBIDDEN"
    );
    assert_eq!(
        app.gql(&k, "{ auditLog { total } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
    // Unknown permission strings are refused.
    let bad = app
        .gql(
            &admin,
            CREATE,
            json!({"i": {"name": "x", "permissions": ["root"]}}),
        )
        .await;
    assert_eq!(bad.code(), "VALIDATION_ERROR");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_admin_field_is_guarded() {
    let app = TestApp::new().await;
    let (customer, _) = app.customer().await;
    let manager = app.staff("manager").await;
    let admin = app.staff("admin").await;
    let id = uuid::Uuid::now_v7();
    // (operation, allowed for a manager?)
    let ops: [(&str, Value, bool); 8] = [
        ("{ settings { storeName } }", json!({}), false),
        ("{ adminConfig { defaultLocale } }", json!({}), false),
        ("{ auditLog { total } }", json!({}), false),
        ("{ apiKeys { id } }", json!({}), true),
        (
            "mutation { updateSettings(input: {storeName: \"Y\"}) { storeName } }",
            json!({}),
            false,
        ),
        (
            CREATE,
            json!({"i": {"name": "n", "permissions": ["products.read"]}}),
            true,
        ),
        (
            "mutation($id: UUID!) { revokeApiKey(id: $id) }",
            json!({"id": id}),
            true,
        ),
        (
            "mutation($id: UUID!) { revokeApiKey(id: $id) }",
            json!({"id": id}),
            true,
        ),
    ];
    for (q, vars, manager_ok) in ops {
        assert_eq!(
            app.gql(&Auth::None, q, vars.clone()).await.code(),
            "UNAUTHENTICATED",
            "{q}"
        );
        assert_eq!(
            app.gql(&customer, q, vars.clone()).await.code(),
            "FORBIDDEN",
            "{q}"
        );
        let m = app.gql(&manager, q, vars.clone()).await;
        if manager_ok {
            assert_ne!(m.code(), "FORBIDDEN", "{q}: {}", m.body);
        } else {
            assert_eq!(m.code(), "FORBIDDEN", "{q}");
        }
        let a = app.gql(&admin, q, vars).await;
        assert!(
            !["FORBIDDEN", "UNAUTHENTICATED"].contains(&a.code()),
            "{q}: {}",
            a.body
        );
    }
    // Staff have no customer account.
    assert_eq!(
        app.gql(&admin, "{ account { id } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn managers_cannot_grant_more_than_their_role_and_see_only_their_keys() {
    let app = TestApp::new().await;
    let manager = app.staff("manager").await;
    let admin = app.staff("admin").await;
    let over = app
        .gql(
            &manager,
            CREATE,
            json!({"i": {"name": "x", "permissions": ["settings.update"]}}),
        )
        .await;
    assert_eq!(over.code(), "FORBIDDEN");
    let (_, mine) = create_key(&app, &manager, &["products.read"]).await;
    let (_, theirs) = create_key(&app, &admin, &["settings.update"]).await;
    let list = app
        .gql(&manager, "{ apiKeys { id } }", json!({}))
        .await
        .ok();
    let ids: Vec<&Value> = list
        .data("apiKeys")
        .as_array()
        .expect("list")
        .iter()
        .map(|k| &k["id"])
        .collect();
    assert_eq!(ids, vec![&mine["id"]]);
    let all = app.gql(&admin, "{ apiKeys { id } }", json!({})).await.ok();
    assert_eq!(all.data("apiKeys").as_array().expect("list").len(), 2);
    let steal = app
        .gql(
            &manager,
            "mutation($id: UUID!) { revokeApiKey(id: $id) }",
            json!({"id": theirs["id"]}),
        )
        .await;
    assert_eq!(steal.code(), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_key_limit_is_ten_even_under_concurrency() {
    let app = TestApp::new().await;
    let admin = app.staff("super_admin").await;
    let q = json!({"i": {"name": "k", "permissions": ["products.read"]}});
    let calls = (0..14).map(|_| app.gql(&admin, CREATE, q.clone()));
    let results = futures_util::future::join_all(calls).await;
    let ok = results
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    let limited = results
        .iter()
        .filter(|r| r.code() == "LIMIT_EXCEEDED")
        .count();
    assert_eq!((ok, limited), (10, 4));
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_updates_are_validated_and_audited_with_the_client_ip() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let bad = app
        .gql(
            &admin,
            "mutation { updateSettings(input: {currency: \"euro\"}) { currency } }",
            json!({}),
        )
        .await;
    assert_eq!(bad.code(), "VALIDATION_ERROR");
    assert_eq!(bad.body["errors"][0]["extensions"]["field"], "currency");
    let ok = app
        .gql(&admin, "mutation { updateSettings(input: {storeName: \"Agora\", currency: \"USD\"}) { storeName currency } }", json!({}))
        .await
        .ok();
    assert_eq!(ok.data("updateSettings.storeName"), "Agora");
    let public = app.gql(&Auth::None, "{ storeSettings { storeName currency } storeConfig { defaultLocale availableLocales } }", json!({})).await.ok();
    assert_eq!(public.data("storeSettings.storeName"), "Agora");
    assert_eq!(public.data("storeConfig.defaultLocale"), "de-DE");
    let log = app.gql(&admin, "{ auditLog(entityType: \"settings\") { total items { action userType ipAddress changes } } }", json!({})).await.ok();
    assert_eq!(log.data("auditLog.total"), 1);
    let entry = &log.data("auditLog.items")[0];
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["userType"], "admin");
    assert_eq!(entry["ipAddress"], "127.0.0.1");
    assert_eq!(
        entry["changes"],
        json!({"store_name": "Agora", "currency": "USD"})
    );
}

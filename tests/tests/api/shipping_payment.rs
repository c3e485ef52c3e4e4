//! Shipping and payment methods over REST and GraphQL: the reference's shapes, net/gross
//! derivation, the store's active lists with localized names, the payment configuration
//! (encrypted at rest, never returned, sealed at start-up when written as plaintext),
//! deletes refused while orders use a method, and permissions.

use reqwest::Method;
use serde_json::{Value, json};
use stoa_db::models::shipping_payment::PaymentMethod;
use stoa_resolvers::domain::secrets::{ConfigCipher, provider_config, seal_plaintext_configs};
use stoa_tests::{Auth, TestApp};
use uuid::Uuid;

use crate::catalog_admin::{code, keys, rest};

/// The cipher of test apps (`payment.encryption_key` = 64 × "0").
fn test_cipher() -> ConfigCipher {
    ConfigCipher::new([0; 32])
}

/// One value of a SQL query, as text.
fn sql(app: &TestApp, query: &str) -> String {
    let out = std::process::Command::new("psql")
        .args([app.db_url.as_str(), "-tAc", query])
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

async fn sealed(app: &TestApp, id: &str) -> Vec<u8> {
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    PaymentMethod::sealed_config(&mut c, id.parse().expect("uuid"))
        .await
        .expect("read")
        .expect("method")
        .expect("config")
}

fn id_of(v: &Value) -> String {
    v["data"]["id"].as_str().expect("id").to_owned()
}

const SHIPPING_KEYS: [&str; 9] = [
    "id",
    "active",
    "price_net",
    "price_gross",
    "tax_rule_id",
    "custom_fields",
    "created_at",
    "updated_at",
    "translations",
];

#[tokio::test(flavor = "multi_thread")]
async fn shipping_methods_crud_in_the_reference_shape() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (s, rule) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/tax-rules",
        &admin,
        Some(json!({"name": "Standard", "rate": 1900, "country_code": "DE"})),
    )
    .await;
    assert_eq!(s, 201, "{rule}");
    let rule_id = id_of(&rule);

    // Net derived from gross through the tax rule, as for products.
    let (s, express) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({
            "active": true, "price_gross": 1190, "tax_rule_id": rule_id,
            "custom_fields": {"carrier_code": "DHL"},
            "translations": [
                {"locale": "de-DE", "name": "Express", "description": "Morgen da"},
                {"locale": "en-US", "name": "Express", "description": "Tomorrow"}
            ]
        })),
    )
    .await;
    assert_eq!(s, 201, "{express}");
    let d = &express["data"];
    assert_eq!(keys(d), SHIPPING_KEYS);
    assert_eq!(d["price_net"], 1000);
    assert_eq!(d["price_gross"], 1190);
    assert_eq!(d["tax_rule_id"], rule_id.as_str());
    assert_eq!(
        d["custom_fields"],
        json!({"carrier_code": "DHL"}),
        "keys as sent"
    );
    assert_eq!(
        keys(&d["translations"][0]),
        ["shipping_method_id", "locale", "name", "description"]
    );
    assert_eq!(d["translations"][0]["shipping_method_id"], d["id"]);
    let express_id = id_of(&express);

    // Optional fields are omitted when empty; the cheaper one lists first.
    let (s, standard) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"price_net": 335, "price_gross": 399,
                    "translations": [{"locale": "de-DE", "name": "Standard"}]})),
    )
    .await;
    assert_eq!(s, 201, "{standard}");
    assert_eq!(
        keys(&standard["data"]),
        [
            "id",
            "active",
            "price_net",
            "price_gross",
            "created_at",
            "updated_at",
            "translations"
        ]
    );
    assert_eq!(standard["data"]["active"], true, "active by default");
    let (s, bare) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"active": false, "price_gross": 0})),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(
        keys(&bare["data"]),
        [
            "id",
            "active",
            "price_net",
            "price_gross",
            "created_at",
            "updated_at"
        ]
    );

    let (s, list) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/shipping-methods",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let prices: Vec<&Value> = list["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|m| &m["price_gross"])
        .collect();
    assert_eq!(prices, [&json!(0), &json!(399), &json!(1190)]);
    assert_eq!(
        list["meta"],
        json!({"total": 3, "page": 1, "limit": 20, "pages": 1})
    );
    let (_, page2) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/shipping-methods?page=2&limit=2&active=true",
        &admin,
        None,
    )
    .await;
    assert_eq!(
        page2["meta"],
        json!({"total": 2, "page": 2, "limit": 2, "pages": 1})
    );
    assert_eq!(page2["data"].as_array().expect("list").len(), 0);
    let (_, inactive) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/shipping-methods?active=false",
        &admin,
        None,
    )
    .await;
    assert_eq!(inactive["meta"]["total"], 1);

    // Partial update: a 0 net price is derived again, translations stay.
    let path = format!("/api/v1/admin/shipping-methods/{express_id}");
    let (s, up) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"price_net": 0, "price_gross": 2380})),
    )
    .await;
    assert_eq!(s, 200, "{up}");
    assert_eq!(up["data"]["price_net"], 2000);
    assert_eq!(up["data"]["translations"].as_array().expect("tr").len(), 2);
    assert_eq!(up["data"]["custom_fields"], json!({"carrier_code": "DHL"}));
    let (s, got) = rest(&app, Method::GET, &path, &admin, None).await;
    assert_eq!(s, 200);
    assert_eq!(got["data"]["price_gross"], 2380);

    // Bad input answers with stable codes.
    let (s, bad) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"price_gross": -1})),
    )
    .await;
    assert_eq!((s, code(&bad)), (422, "validation_error"), "{bad}");
    let (s, bad) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"translations": [{"locale": "de-DE", "name": ""}]})),
    )
    .await;
    assert_eq!((s, code(&bad)), (422, "validation_error"), "{bad}");
    let (s, bad) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"tax_rule_id": Uuid::now_v7()})),
    )
    .await;
    assert_eq!((s, code(&bad)), (422, "validation_error"), "{bad}");
    let (s, bad) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/shipping-methods/nope",
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&bad)), (400, "invalid_id"));
    let missing = format!("/api/v1/admin/shipping-methods/{}", Uuid::now_v7());
    let (s, bad) = rest(&app, Method::GET, &missing, &admin, None).await;
    assert_eq!((s, code(&bad)), (404, "not_found"));
    assert_eq!(bad["errors"][0]["detail"], "shipping method not found");

    // GraphQL sees the same method, with the name in the requested locale.
    let r = app
        .gql(
            &admin,
            "query($id: UUID!) { shippingMethod(id: $id) { name priceNet translations { locale } } }",
            json!({"id": express_id}),
        )
        .await
        .ok();
    assert_eq!(r.data("shippingMethod.priceNet"), 2000);

    let (s, body) = rest(&app, Method::DELETE, &path, &admin, None).await;
    assert_eq!((s, body), (204, Value::Null));
    let (s, _) = rest(&app, Method::DELETE, &path, &admin, None).await;
    assert_eq!(s, 404);
    assert_eq!(
        sql(
            &app,
            "SELECT count(*) FROM audit_logs WHERE entity_type = 'shipping_method'"
        ),
        "5",
        "create ×3, update, delete"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn payment_config_is_encrypted_and_never_returned() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let secret = "sk_test_very_secret_123";
    let (s, created) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({
            "provider": "stripe", "active": true,
            "config": {"secret_key": secret, "capture_on": "confirmed"},
            "translations": [{"locale": "en-US", "name": "Card", "description": "Visa, Mastercard"}]
        })),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(
        keys(&created["data"]),
        [
            "id",
            "provider",
            "active",
            "created_at",
            "updated_at",
            "translations"
        ]
    );
    assert_eq!(
        keys(&created["data"]["translations"][0]),
        ["payment_method_id", "locale", "name", "description"]
    );
    let id = id_of(&created);

    // Stored as nonce ‖ ciphertext ‖ tag under the configured key; keys kept as sent.
    let raw = sealed(&app, &id).await;
    assert!(!raw.windows(secret.len()).any(|w| w == secret.as_bytes()));
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    let cfg = provider_config(&mut c, &test_cipher(), id.parse().expect("uuid"))
        .await
        .expect("decrypts")
        .expect("config");
    assert_eq!(cfg.str("secret_key"), Some(secret));
    assert_eq!(cfg.str("capture_on"), Some("confirmed"));
    assert!(
        ConfigCipher::new([9; 32]).open(&raw).is_err(),
        "another key cannot read it"
    );

    // The reference's REST form: the base64 of the JSON bytes.
    let (s, b64) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({"provider": "paypal",
                    "config": "eyJjbGllbnRfc2VjcmV0IjoicHBfc2VjcmV0XzQ1NiJ9"})),
    )
    .await;
    assert_eq!(s, 201, "{b64}");
    let cfg = provider_config(&mut c, &test_cipher(), id_of(&b64).parse().expect("uuid"))
        .await
        .expect("decrypts")
        .expect("config");
    assert_eq!(cfg.str("client_secret"), Some("pp_secret_456"));
    let (s, bad) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({"provider": "x", "config": [1, 2]})),
    )
    .await;
    assert_eq!((s, code(&bad)), (422, "validation_error"));

    // Nothing returns it: REST get, list, update; GraphQL; the audit log.
    let path = format!("/api/v1/admin/payment-methods/{id}");
    let mut seen = vec![created.to_string(), b64.to_string()];
    for p in [
        path.as_str(),
        "/api/v1/admin/payment-methods",
        "/api/v1/store/payment-methods",
    ] {
        let (s, body) = rest(&app, Method::GET, p, &admin, None).await;
        assert_eq!(s, 200, "{p}: {body}");
        assert!(body.to_string().contains("stripe"));
        seen.push(body.to_string());
    }
    let (s, up) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(up["data"]["active"], false);
    seen.push(up.to_string());
    assert_eq!(
        sealed(&app, &id).await,
        raw,
        "an update without config keeps it"
    );
    let r = app
        .gql(
            &admin,
            "{ paymentMethods { items { id provider isManual hasConfig active customFields } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(r.data("paymentMethods.items")[0]["hasConfig"], true);
    assert_eq!(r.data("paymentMethods.items")[0]["isManual"], false);
    seen.push(r.body.to_string());
    seen.push(sql(&app, "SELECT string_agg(changes::text, ' ') FROM audit_logs WHERE entity_type = 'payment_method'"));
    assert!(
        seen.last().expect("audit").contains("\"config\": \"set\""),
        "{seen:?}"
    );
    for body in &seen {
        assert!(
            !body.contains(secret) && !body.contains("pp_secret_456"),
            "{body}"
        );
        assert!(
            !body.contains("secret_key") && !body.contains("capture_on"),
            "{body}"
        );
    }

    // GraphQL: null removes the configuration.
    let r = app
        .gql(
            &admin,
            "mutation($id: UUID!) { updatePaymentMethod(id: $id, input: {config: null}) { hasConfig } }",
            json!({"id": id}),
        )
        .await
        .ok();
    assert_eq!(r.data("updatePaymentMethod.hasConfig"), false);
    assert_eq!(
        sql(
            &app,
            &format!("SELECT config IS NULL FROM payment_methods WHERE id = '{id}'")
        ),
        "t"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn manual_methods_have_no_provider() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (s, invoice) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({"translations": [{"locale": "de-DE", "name": "Rechnung"}]})),
    )
    .await;
    assert_eq!(s, 201, "{invoice}");
    assert_eq!(invoice["data"]["provider"], "");
    let r = app
        .gql(
            &admin,
            "mutation { createPaymentMethod(input: {provider: \"  \", translations: [{locale: \"en-US\", name: \"Bank transfer\"}]}) { provider isManual hasConfig name } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(r.data("createPaymentMethod.isManual"), true);
    assert_eq!(r.data("createPaymentMethod.provider"), "");
    assert_eq!(r.data("createPaymentMethod.hasConfig"), false);
    assert_eq!(r.data("createPaymentMethod.name"), "Bank transfer");
    let long = "p".repeat(101);
    let r = app
        .gql(
            &admin,
            "mutation($p: String!) { createPaymentMethod(input: {provider: $p}) { id } }",
            json!({"p": long}),
        )
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "provider");
}

#[tokio::test(flavor = "multi_thread")]
async fn plaintext_configs_are_encrypted_at_start_up() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (_, api) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({"provider": "stripe", "config": {"secret_key": "sk_api"}})),
    )
    .await;
    let api_id = id_of(&api);
    let before = sealed(&app, &api_id).await;
    let plain = Uuid::now_v7();
    let garbage = Uuid::now_v7();
    sql(
        &app,
        &format!(
            "INSERT INTO payment_methods (id, provider, config) VALUES \
             ('{plain}', 'stripe', convert_to('{{\"secret_key\":\"sk_plain_777\"}}', 'UTF8')), \
             ('{garbage}', 'other', '\\x0102'::bytea)"
        ),
    );
    assert!(
        sealed(&app, &plain.to_string())
            .await
            .starts_with(b"{\"secret_key\"")
    );

    stoa_server::cli::seal_payment_configs(&app.app)
        .await
        .expect("seal pass");

    let now = sealed(&app, &plain.to_string()).await;
    assert!(!now.windows(12).any(|w| w == b"sk_plain_777"));
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    let cfg = provider_config(&mut c, &test_cipher(), plain)
        .await
        .expect("decrypts")
        .expect("config");
    assert_eq!(cfg.str("secret_key"), Some("sk_plain_777"));
    assert_eq!(
        sealed(&app, &api_id).await,
        before,
        "sealed rows are left alone"
    );
    assert_eq!(
        sealed(&app, &garbage.to_string()).await,
        [1, 2],
        "unreadable rows too"
    );
    // A wrong key fails cleanly instead of returning garbage.
    assert!(
        provider_config(&mut c, &ConfigCipher::new([5; 32]), plain)
            .await
            .is_err()
    );
    // A second pass has nothing left to do.
    let report = seal_plaintext_configs(&mut c, &test_cipher())
        .await
        .expect("second pass");
    assert_eq!((report.sealed, report.unreadable), (0, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_lists_active_methods_with_localized_names() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let tr = |de: &str, en: &str| {
        json!([{"locale": "de-DE", "name": de, "description": format!("{de}!")},
               {"locale": "en-US", "name": en, "description": format!("{en}!")}])
    };
    let mut ids = Vec::new();
    for (active, gross, de, en) in [
        (true, 799, "Express", "Express"),
        (true, 399, "Standardversand", "Standard shipping"),
        (false, 0, "Abholung", "Pickup"),
    ] {
        let (s, m) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/shipping-methods",
            &admin,
            Some(
                json!({"active": active, "price_net": gross, "price_gross": gross,
                        "translations": tr(de, en)}),
            ),
        )
        .await;
        assert_eq!(s, 201, "{m}");
        ids.push(id_of(&m));
    }
    for (active, provider, de, en) in [
        (true, "", "Vorkasse", "Bank transfer"),
        (false, "stripe", "Kreditkarte", "Credit card"),
    ] {
        let (s, m) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/payment-methods",
            &admin,
            Some(json!({"active": active, "provider": provider,
                        "config": {"k": "v"}, "translations": tr(de, en)})),
        )
        .await;
        assert_eq!(s, 201, "{m}");
        ids.push(id_of(&m));
    }

    let q = "query($l: String) { storeShippingMethods(locale: $l) { total items { name description priceGross } } \
             storePaymentMethods(locale: $l) { total items { name provider isManual } } }";
    let de = app.gql(&Auth::None, q, json!({"l": "de-DE"})).await.ok();
    assert_eq!(de.data("storeShippingMethods.total"), 2);
    assert_eq!(
        de.data("storeShippingMethods.items")[0]["name"],
        "Standardversand"
    );
    assert_eq!(
        de.data("storeShippingMethods.items")[0]["description"],
        "Standardversand!"
    );
    assert_eq!(de.data("storeShippingMethods.items")[1]["name"], "Express");
    assert_eq!(de.data("storePaymentMethods.total"), 1);
    assert_eq!(de.data("storePaymentMethods.items")[0]["name"], "Vorkasse");
    assert_eq!(de.data("storePaymentMethods.items")[0]["isManual"], true);
    let en = app.gql(&Auth::None, q, json!({"l": "en-US"})).await.ok();
    assert_eq!(
        en.data("storeShippingMethods.items")[0]["name"],
        "Standard shipping"
    );
    assert_eq!(
        en.data("storePaymentMethods.items")[0]["name"],
        "Bank transfer"
    );

    // Whether a configuration exists is staff-only.
    let r = app
        .gql(
            &Auth::None,
            "{ storePaymentMethods { items { hasConfig } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "UNAUTHENTICATED");

    // REST: active only, reference envelope, all translations, no configuration.
    let (s, list) = rest(
        &app,
        Method::GET,
        "/api/v1/store/shipping-methods",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        list["meta"],
        json!({"total": 2, "page": 1, "limit": 20, "pages": 1})
    );
    assert_eq!(list["data"][0]["price_gross"], 399);
    assert_eq!(
        list["data"][0]["translations"]
            .as_array()
            .expect("tr")
            .len(),
        2
    );
    let (s, pay) = rest(
        &app,
        Method::GET,
        "/api/v1/store/payment-methods",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(pay["meta"]["total"], 1);
    assert_eq!(
        keys(&pay["data"][0]),
        [
            "id",
            "provider",
            "active",
            "created_at",
            "updated_at",
            "translations"
        ]
    );
    let (s, one) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/store/shipping-methods/{}", ids[1]),
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(one["data"]["price_gross"], 399);
    for path in [
        format!("/api/v1/store/shipping-methods/{}", ids[2]),
        format!("/api/v1/store/payment-methods/{}", ids[4]),
    ] {
        let (s, body) = rest(&app, Method::GET, &path, &Auth::None, None).await;
        assert_eq!((s, code(&body)), (404, "not_found"), "inactive: {path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn methods_used_by_orders_cannot_be_deleted() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (_, ship) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"price_gross": 399})),
    )
    .await;
    let (_, pay) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/payment-methods",
        &admin,
        Some(json!({"provider": "stripe"})),
    )
    .await;
    let (ship, pay) = (id_of(&ship), id_of(&pay));
    sql(
        &app,
        &format!(
            "INSERT INTO orders (order_number, shipping_method_id, payment_method_id) \
             VALUES ('ORD-TEST-1', '{ship}', '{pay}')"
        ),
    );
    for (path, detail) in [
        (
            format!("/api/v1/admin/shipping-methods/{ship}"),
            "this shipping method is used by orders",
        ),
        (
            format!("/api/v1/admin/payment-methods/{pay}"),
            "this payment method is used by orders",
        ),
    ] {
        let (s, body) = rest(&app, Method::DELETE, &path, &admin, None).await;
        assert_eq!((s, code(&body)), (409, "in_use"), "{body}");
        assert_eq!(body["errors"][0]["detail"], detail);
    }
    let r = app
        .gql(
            &admin,
            "mutation($id: UUID!) { deleteShippingMethod(id: $id) }",
            json!({"id": ship}),
        )
        .await;
    assert_eq!(r.code(), "CONFLICT");
    sql(&app, "DELETE FROM orders");
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/payment-methods/{pay}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
}

#[tokio::test(flavor = "multi_thread")]
async fn method_routes_check_permissions() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let manager = app.staff("manager").await;
    let (customer, _) = app.customer().await;
    let (_, ship) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &admin,
        Some(json!({"price_gross": 399})),
    )
    .await;
    let ship = id_of(&ship);
    // A manager reads (shipping.read, payment.read) but does not write.
    for p in [
        "/api/v1/admin/shipping-methods",
        "/api/v1/admin/payment-methods",
    ] {
        let (s, _) = rest(&app, Method::GET, p, &manager, None).await;
        assert_eq!(s, 200, "{p}");
        let (s, _) = rest(
            &app,
            Method::POST,
            p,
            &manager,
            Some(json!({"provider": "x"})),
        )
        .await;
        assert_eq!(s, 403, "{p}");
        let (s, _) = rest(&app, Method::GET, p, &customer, None).await;
        assert_eq!(s, 403, "{p}");
        let (s, _) = rest(&app, Method::GET, p, &Auth::None, None).await;
        assert_eq!(s, 401, "{p}");
    }
    let path = format!("/api/v1/admin/shipping-methods/{ship}");
    let (s, _) = rest(
        &app,
        Method::PUT,
        &path,
        &manager,
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = rest(&app, Method::DELETE, &path, &manager, None).await;
    assert_eq!(s, 403);
    // A staff key holds exactly its permissions.
    let key = app
        .gql(
            &admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "shipping only", "permissions": ["shipping.read", "shipping.create"]}}),
        )
        .await
        .ok()
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    let key = Auth::ApiKey(key);
    let (s, _) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/shipping-methods",
        &key,
        Some(json!({"price_gross": 1})),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/payment-methods",
        &key,
        None,
    )
    .await;
    assert_eq!(s, 403);
    let r = app
        .gql(
            &manager,
            "mutation { createPaymentMethod(input: {provider: \"x\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    assert_eq!(
        sql(&app, "SELECT count(*) FROM payment_methods"),
        "0",
        "nothing was written"
    );
}

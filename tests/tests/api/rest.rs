//! REST conformance: per row, status, envelope, field names and order, and the reference's
//! error codes and details for bad input. Bodies are snapshotted with ids, timestamps and
//! secrets redacted.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

/// A raw REST answer.
struct Rest {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Rest {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    /// The top-level keys of `data` (or of its first item), in order.
    fn data_keys(&self) -> Vec<String> {
        let v = self.json();
        let d = if v["data"].is_array() {
            v["data"][0].clone()
        } else {
            v["data"].clone()
        };
        d.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// `(status, code, detail)` of an error answer.
    fn error(&self) -> (u16, String, String) {
        let v = self.json();
        let e = &v["errors"][0];
        (
            self.status.as_u16(),
            e["code"].as_str().unwrap_or("").into(),
            e["detail"].as_str().unwrap_or("").into(),
        )
    }
}

async fn call(app: &TestApp, method: Method, path: &str, auth: &Auth, body: Option<&str>) -> Rest {
    let mut req = app.http().request(method, app.url(path));
    match auth {
        Auth::Bearer(t) => req = req.header("authorization", format!("Bearer {t}")),
        Auth::ApiKey(k) => req = req.header("authorization", format!("ApiKey {k}")),
        Auth::Raw(r) => req = req.header("authorization", r),
        Auth::None => {}
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_owned());
    }
    let resp = req.send().await.expect("send");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("text");
    Rest {
        status,
        headers,
        text,
    }
}

/// Replaces ids, timestamps and secrets so that snapshots are stable.
fn redact(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                let secret = [
                    "id",
                    "key",
                    "access_token",
                    "refresh_token",
                    "created_by",
                    "customer_id",
                ]
                .contains(&k.as_str())
                    || k.ends_with("_id")
                    || k.ends_with("_at");
                if secret && !val.is_null() {
                    *val = Value::String(format!("[{k}]"));
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(redact),
        _ => {}
    }
}

fn snapshot(r: &Rest) -> Value {
    let mut v = r.json();
    redact(&mut v);
    json!({ "status": r.status.as_u16(), "body": v })
}

async fn admin_token(app: &TestApp) -> String {
    app.create_staff("admin@example.com", "your-password", "super_admin")
        .await;
    app.login("admin@example.com", "your-password").await.access
}

#[tokio::test(flavor = "multi_thread")]
async fn login_answers_the_reference_shape() {
    let app = TestApp::new().await;
    app.create_staff("admin@example.com", "your-password", "admin")
        .await;
    let ok = call(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(r#"{"email": "admin@example.com", "password": "your-password"}"#),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.headers["content-type"], "application/json");
    assert!(ok.text.ends_with("}\n"));
    assert_eq!(
        ok.data_keys(),
        ["access_token", "expires_in", "refresh_token", "token_type"]
    );
    insta::assert_json_snapshot!("login_ok", snapshot(&ok));

    let cases = [
        (
            r#"{"email":"admin@example.com","password":"nope"}"#,
            (401, "invalid_credentials", "invalid email or password"),
        ),
        (
            r#"{"email":"ghost@example.com","password":"nope"}"#,
            (401, "invalid_credentials", "invalid email or password"),
        ),
        (
            r#"{"email":"admin@example.com"}"#,
            (400, "validation_error", "email and password are required"),
        ),
        (
            r#"{"email":"admin@example.com","password":""}"#,
            (400, "validation_error", "email and password are required"),
        ),
        (
            r#"{"email":"#,
            (400, "invalid_request", "invalid request body"),
        ),
        (r#"[1,2]"#, (400, "invalid_request", "invalid request body")),
        (
            r#"{"email":5,"password":"x"}"#,
            (400, "invalid_request", "invalid request body"),
        ),
    ];
    for (body, (status, code, detail)) in cases {
        let r = call(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            &Auth::None,
            Some(body),
        )
        .await;
        assert_eq!(
            r.error(),
            (status, code.to_owned(), detail.to_owned()),
            "{body}"
        );
    }
    let wrong_type = app
        .http()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("email=x")
        .send()
        .await
        .expect("send");
    assert_eq!(wrong_type.status(), 415);
    let v: Value = wrong_type.json().await.expect("json");
    assert_eq!(v["errors"][0]["code"], "unsupported_media_type");
}

#[tokio::test(flavor = "multi_thread")]
async fn lockout_gives_429_with_retry_after() {
    let app = TestApp::new().await;
    app.register("locked@example.com", "locked-password").await;
    for _ in 0..5 {
        call(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            &Auth::None,
            Some(r#"{"email":"locked@example.com","password":"bad"}"#),
        )
        .await;
    }
    let r = call(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(r#"{"email":"locked@example.com","password":"locked-password"}"#),
    )
    .await;
    assert_eq!(
        r.error(),
        (
            429,
            "account_locked".into(),
            "too many failed login attempts, please try again later".into()
        )
    );
    let retry: u64 = r.headers["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("number");
    assert!(retry > 3500 && retry <= 3600);
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_and_logout_follow_the_reference() {
    let app = TestApp::new().await;
    app.register("r@example.com", "refresh-password").await;
    let t = app.login("r@example.com", "refresh-password").await;
    let body = json!({"refresh_token": t.refresh}).to_string();
    let ok = call(
        &app,
        Method::POST,
        "/api/v1/auth/refresh",
        &Auth::None,
        Some(&body),
    )
    .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.data_keys(),
        ["access_token", "expires_in", "refresh_token", "token_type"]
    );
    let reuse = call(
        &app,
        Method::POST,
        "/api/v1/auth/refresh",
        &Auth::None,
        Some(&body),
    )
    .await;
    assert_eq!(
        reuse.error(),
        (
            401,
            "invalid_token".into(),
            "token reuse detected, please login again".into()
        )
    );
    let garbage = call(
        &app,
        Method::POST,
        "/api/v1/auth/refresh",
        &Auth::None,
        Some(r#"{"refresh_token":"x"}"#),
    )
    .await;
    assert_eq!(
        garbage.error(),
        (401, "invalid_token".into(), "invalid refresh token".into())
    );

    let t = app.login("r@example.com", "refresh-password").await;
    let out = call(
        &app,
        Method::POST,
        "/api/v1/auth/logout",
        &Auth::Bearer(t.access.clone()),
        None,
    )
    .await;
    assert_eq!(
        (out.status.as_u16(), out.text.as_str()),
        (
            200,
            "{\"data\":{\"message\":\"logged out successfully\"}}\n"
        )
    );
    let me = call(
        &app,
        Method::GET,
        "/api/v1/store/account",
        &Auth::Bearer(t.access),
        None,
    )
    .await;
    assert_eq!(
        me.error(),
        (401, "unauthorized".into(), "token has been revoked".into())
    );
    // Logout always succeeds, even anonymously and with a bad body-less call.
    let anon = call(&app, Method::POST, "/api/v1/auth/logout", &Auth::None, None).await;
    assert_eq!(anon.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn register_and_account() {
    let app = TestApp::new().await;
    let body = r#"{"email":"Ann@Example.com","password":"ann-password","first_name":"Ann","last_name":"Lee","unknown":"ignored"}"#;
    let r = call(
        &app,
        Method::POST,
        "/api/v1/store/register",
        &Auth::None,
        Some(body),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.data_keys(),
        [
            "id",
            "email",
            "first_name",
            "last_name",
            "active",
            "created_at",
            "updated_at"
        ],
        "null default address ids are omitted"
    );
    insta::assert_json_snapshot!("register_ok", snapshot(&r));
    let created_at = r.json()["data"]["created_at"]
        .as_str()
        .expect("ts")
        .to_owned();
    assert!(
        created_at.ends_with('Z') && !created_at.contains("+00:00"),
        "{created_at}"
    );

    let dup = call(
        &app,
        Method::POST,
        "/api/v1/store/register",
        &Auth::None,
        Some(body),
    )
    .await;
    assert_eq!(dup.error().0, 409);
    assert_eq!(dup.error().1, "email_taken");
    let bad = call(
        &app,
        Method::POST,
        "/api/v1/store/register",
        &Auth::None,
        Some(r#"{"email":"nope","password":"long-enough"}"#),
    )
    .await;
    assert_eq!(bad.error().0, 422);
    assert_eq!(bad.json()["errors"][0]["field"], "Email");
    let broken = call(
        &app,
        Method::POST,
        "/api/v1/store/register",
        &Auth::None,
        Some("{"),
    )
    .await;
    assert_eq!(
        broken.error(),
        (
            400,
            "invalid_body".into(),
            "request body is not valid JSON".into()
        )
    );

    let anon = call(
        &app,
        Method::GET,
        "/api/v1/store/account",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(
        anon.error(),
        (401, "unauthorized".into(), "authentication required".into())
    );
    let forged = call(
        &app,
        Method::GET,
        "/api/v1/store/account",
        &Auth::Bearer("x.y.z".into()),
        None,
    )
    .await;
    assert_eq!(
        forged.error(),
        (401, "unauthorized".into(), "invalid token".into())
    );

    let t = app.login("ann@example.com", "ann-password").await;
    let auth = Auth::Bearer(t.access);
    let acc = call(&app, Method::GET, "/api/v1/store/account", &auth, None).await;
    assert_eq!(acc.status, 200);
    assert_eq!(acc.json()["data"]["email"], "ann@example.com");
    // Empty strings leave fields unchanged, as in the reference.
    let upd = call(
        &app,
        Method::PUT,
        "/api/v1/store/account",
        &auth,
        Some(r#"{"first_name":"Annie","last_name":""}"#),
    )
    .await;
    assert_eq!(upd.status, 200);
    assert_eq!(
        (
            upd.json()["data"]["first_name"].clone(),
            upd.json()["data"]["last_name"].clone()
        ),
        (json!("Annie"), json!("Lee"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_admin_api_key_flow_works() {
    let app = TestApp::new().await;
    admin_token(&app).await;
    // As in the reference README: login, take .data.access_token, create a key.
    let login = call(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(r#"{"email":"admin@example.com","password":"your-password"}"#),
    )
    .await;
    let token = login.json()["data"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let body = r#"{
"name": "MCP Admin Key",
"permissions": [
"products.read", "products.create", "products.update", "products.delete",
"orders.read", "orders.update",
"discounts.read", "discounts.create", "discounts.update", "discounts.delete",
"customers.read", "customers.update", "customers.delete",
"categories.read", "categories.create", "categories.update",
"media.read", "media.delete",
"shipping.read", "payment.read", "tax.read"
]
}"#;
    let created = call(
        &app,
        Method::POST,
        "/api/v1/admin/api-keys",
        &Auth::Bearer(token.clone()),
        Some(body),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(
        created.data_keys(),
        [
            "created_at",
            "created_by",
            "id",
            "key",
            "name",
            "permissions"
        ]
    );
    insta::assert_json_snapshot!("admin_api_key_created", snapshot(&created));
    let key = created.json()["data"]["key"]
        .as_str()
        .expect("key")
        .to_owned();
    assert!(key.starts_with("ck_") && key.len() == 67);

    let list = call(
        &app,
        Method::GET,
        "/api/v1/admin/api-keys",
        &Auth::Bearer(token.clone()),
        None,
    )
    .await;
    assert_eq!(
        list.data_keys(),
        [
            "id",
            "name",
            "key_type",
            "permissions",
            "active",
            "created_by",
            "created_at"
        ]
    );
    assert_eq!(list.json()["data"][0]["key_type"], "admin");
    insta::assert_json_snapshot!("admin_api_key_list", snapshot(&list));

    // The key works for what it holds and nothing else.
    let k = Auth::ApiKey(key);
    let cfg = call(&app, Method::GET, "/api/v1/admin/settings", &k, None).await;
    assert_eq!(
        cfg.error(),
        (403, "forbidden".into(), "insufficient permissions".into())
    );

    let id = created.json()["data"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let bad = call(
        &app,
        Method::DELETE,
        "/api/v1/admin/api-keys/not-a-uuid",
        &Auth::Bearer(token.clone()),
        None,
    )
    .await;
    assert_eq!(
        bad.error(),
        (400, "invalid_request".into(), "invalid API key ID".into())
    );
    let gone = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/api-keys/{id}"),
        &Auth::Bearer(token.clone()),
        None,
    )
    .await;
    assert_eq!(
        (gone.status.as_u16(), gone.text.as_str()),
        (200, "{\"data\":{\"message\":\"API key revoked\"}}\n")
    );
    let again = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/api-keys/{id}"),
        &Auth::Bearer(token),
        None,
    )
    .await;
    assert_eq!(
        again.error(),
        (404, "not_found".into(), "API key not found".into())
    );
    let revoked = call(&app, Method::GET, "/api/v1/admin/api-keys", &k, None).await;
    assert_eq!(
        revoked.error(),
        (401, "unauthorized".into(), "invalid API key".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_routes_check_credentials_roles_and_permissions() {
    let app = TestApp::new().await;
    let (customer, _) = app.customer().await;
    let manager = app.staff("manager").await;
    for path in [
        "/api/v1/admin/settings",
        "/api/v1/admin/config",
        "/api/v1/admin/api-keys",
    ] {
        let none = call(&app, Method::GET, path, &Auth::None, None).await;
        assert_eq!(
            none.error(),
            (
                401,
                "unauthorized".into(),
                "missing authorization header".into()
            ),
            "{path}"
        );
        let cust = call(&app, Method::GET, path, &customer, None).await;
        assert_eq!(
            cust.error(),
            (
                403,
                "unauthorized".into(),
                "insufficient permissions".into()
            ),
            "{path}"
        );
        let bad = call(
            &app,
            Method::GET,
            path,
            &Auth::Raw("Bearerabc".into()),
            None,
        )
        .await;
        assert_eq!(
            bad.error(),
            (
                401,
                "unauthorized".into(),
                "invalid authorization header format".into()
            ),
            "{path}"
        );
        let scheme = call(
            &app,
            Method::GET,
            path,
            &Auth::Raw("Basic abc".into()),
            None,
        )
        .await;
        assert_eq!(
            scheme.error(),
            (
                401,
                "unauthorized".into(),
                "unsupported authorization scheme".into()
            ),
            "{path}"
        );
    }
    // A manager lacks settings.read / settings.update (the reference never checks).
    let m = call(&app, Method::GET, "/api/v1/admin/settings", &manager, None).await;
    assert_eq!(
        m.error(),
        (403, "forbidden".into(), "insufficient permissions".into())
    );
    let over = call(
        &app,
        Method::POST,
        "/api/v1/admin/api-keys",
        &manager,
        Some(r#"{"name":"x","permissions":["settings.update"]}"#),
    )
    .await;
    assert_eq!(
        over.error(),
        (
            403,
            "forbidden".into(),
            "permission settings.update exceeds your role".into()
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn store_api_keys() {
    let app = TestApp::new().await;
    let (customer, _) = app.customer().await;
    let staff = app.staff("admin").await;
    let none = call(
        &app,
        Method::GET,
        "/api/v1/store/api-keys",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(none.error().0, 401);
    let admin = call(
        &app,
        Method::POST,
        "/api/v1/store/api-keys",
        &staff,
        Some(r#"{"name":"x"}"#),
    )
    .await;
    assert_eq!(
        admin.error(),
        (
            403,
            "forbidden".into(),
            "only customers can manage store API keys".into()
        )
    );
    let invalid = call(
        &app,
        Method::POST,
        "/api/v1/store/api-keys",
        &customer,
        Some(r#"{"name":"x","permissions":["products.read"]}"#),
    )
    .await;
    assert_eq!(
        invalid.error(),
        (
            400,
            "validation_error".into(),
            "invalid store permission: products.read".into()
        )
    );
    let created = call(
        &app,
        Method::POST,
        "/api/v1/store/api-keys",
        &customer,
        Some(r#"{"name":"agent"}"#),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_eq!(
        created.data_keys(),
        [
            "created_at",
            "customer_id",
            "id",
            "key",
            "name",
            "permissions"
        ]
    );
    assert_eq!(
        created.json()["data"]["permissions"]
            .as_array()
            .expect("perms")
            .len(),
        6
    );
    let list = call(&app, Method::GET, "/api/v1/store/api-keys", &customer, None).await;
    assert_eq!(list.json()["data"][0]["key_type"], "store");
    let id = created.json()["data"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let del = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/store/api-keys/{id}"),
        &customer,
        None,
    )
    .await;
    assert_eq!(
        del.text,
        "{\"data\":{\"message\":\"store API key revoked\"}}\n"
    );
    let again = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/store/api-keys/{id}"),
        &customer,
        None,
    )
    .await;
    assert_eq!(
        again.error(),
        (404, "not_found".into(), "store API key not found".into())
    );
    // Empty lists are [], not null.
    let (other, _) = app.customer().await;
    let empty = call(&app, Method::GET, "/api/v1/store/api-keys", &other, None).await;
    assert_eq!(empty.text, "{\"data\":[]}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn config_and_settings() {
    let app = TestApp::new().await;
    let staff = app.staff("admin").await;
    let cfg = call(&app, Method::GET, "/api/v1/store/config", &Auth::None, None).await;
    assert_eq!(
        cfg.text,
        "{\"data\":{\"default_locale\":\"de-DE\",\"available_locales\":[\"de-DE\",\"en-US\"]}}\n"
    );
    let admin_cfg = call(&app, Method::GET, "/api/v1/admin/config", &staff, None).await;
    assert_eq!(admin_cfg.text, cfg.text);
    let settings = call(
        &app,
        Method::GET,
        "/api/v1/store/settings",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(
        settings.data_keys(),
        [
            "store_name",
            "store_description",
            "logo_url",
            "favicon_url",
            "contact_email",
            "currency",
            "country",
            "timezone",
            "copyright_text",
            "maintenance_mode",
            "created_at",
            "updated_at"
        ]
    );
    insta::assert_json_snapshot!("store_settings", snapshot(&settings));
    let upd = call(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &staff,
        Some(r#"{"store_name":"Agora <Shop> & Co","currency":"USD"}"#),
    )
    .await;
    assert_eq!(upd.status, 200);
    assert!(
        upd.text
            .contains(r#""store_name":"Agora \u003cShop\u003e \u0026 Co""#),
        "{}",
        upd.text
    );
    let bad = call(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &staff,
        Some(r#"{"currency":"euro"}"#),
    )
    .await;
    assert_eq!(bad.error().0, 422);
    assert_eq!(bad.json()["errors"][0]["field"], "Currency");
    let broken = call(
        &app,
        Method::PUT,
        "/api/v1/admin/settings",
        &staff,
        Some("nope"),
    )
    .await;
    assert_eq!(
        broken.error(),
        (
            400,
            "invalid_json".into(),
            "request body is not valid JSON".into()
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn csrf_applies_only_to_cookie_requests() {
    let app = TestApp::new().await;
    // A first GET primes the cookie.
    let health = app
        .http()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    let set = health.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(
        set.starts_with("csrf_token=") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let token = set
        .trim_start_matches("csrf_token=")
        .split(';')
        .next()
        .expect("value")
        .to_owned();
    let body = r#"{"email":"c@example.com","password":"csrf-password"}"#;
    let post = |cookie: Option<String>, header: Option<String>| {
        let mut r = app
            .http()
            .post(app.url("/api/v1/store/register"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        if let Some(h) = header {
            r = r.header("x-csrf-token", h);
        }
        r.send()
    };
    let missing = post(Some(format!("csrf_token={token}")), None)
        .await
        .expect("send");
    assert_eq!(missing.status(), 403);
    let v: Value = missing.json().await.expect("json");
    assert_eq!(v["errors"][0]["code"], "csrf_token_invalid");
    let wrong = post(Some(format!("csrf_token={token}")), Some("other".into()))
        .await
        .expect("send");
    assert_eq!(wrong.status(), 403);
    let ok = post(Some(format!("csrf_token={token}")), Some(token.clone()))
        .await
        .expect("send");
    assert_eq!(ok.status(), 201);
    // No cookies at all (curl): exempt.
    let curl = call(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(r#"{"email":"c@example.com","password":"csrf-password"}"#),
    )
    .await;
    assert_eq!(curl.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn per_route_rate_limits_answer_429() {
    let app =
        TestApp::with_config(|c| c.security.rate_limit.register.requests_per_minute = 2).await;
    for i in 0..2 {
        let body =
            json!({"email": format!("rl{i}@example.com"), "password": "rate-password"}).to_string();
        assert_eq!(
            call(
                &app,
                Method::POST,
                "/api/v1/store/register",
                &Auth::None,
                Some(&body)
            )
            .await
            .status,
            201
        );
    }
    let body = json!({"email": "rl9@example.com", "password": "rate-password"}).to_string();
    let limited = call(
        &app,
        Method::POST,
        "/api/v1/store/register",
        &Auth::None,
        Some(&body),
    )
    .await;
    assert_eq!(limited.error().0, 429);
    assert_eq!(limited.error().1, "rate_limited");
    assert!(limited.headers.contains_key("retry-after"));
    // Other routes are not affected by the register bucket.
    assert_eq!(
        call(&app, Method::GET, "/api/v1/store/config", &Auth::None, None)
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_paths_and_methods_inside_api_v1() {
    let app = TestApp::new().await;
    let unknown = call(&app, Method::GET, "/api/v1/store/nope", &Auth::None, None).await;
    assert_eq!(unknown.error().0, 404);
    let method = app
        .http()
        .patch(app.url("/api/v1/store/config"))
        .send()
        .await
        .expect("send");
    assert_eq!(method.status(), 405);
    assert!(method.headers().contains_key("allow"));
}

#[tokio::test(flavor = "multi_thread")]
async fn openapi_is_served_and_checked_in() {
    let app = TestApp::new().await;
    let served = app
        .http()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    let generated = stoa_server::rest::openapi_json().await.expect("generate");
    assert_eq!(served, generated);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        std::fs::write(path, &generated).expect("write openapi.json");
        panic!("schema/openapi.json was stale and has been rewritten; review and commit it");
    }
    let doc: Value = serde_json::from_str(&generated).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    for route in stoa_rest_compat::routes::routes() {
        let op = &doc["paths"][route.path][route.method.method().as_str().to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the document",
            route.method.method(),
            route.path
        );
    }
    // Validated by an independent validator when the test script provides one.
    if let Ok(python) = std::env::var("STOA_PYTHON") {
        let out = std::process::Command::new(python)
            .args(["-c", "import sys, json; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('valid')", path])
            .output()
            .expect("python");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        assert_ne!(
            std::env::var("STOA_REQUIRE_PY").as_deref(),
            Ok("1"),
            "STOA_PYTHON is required"
        );
    }
}

#[test]
fn every_operation_file_is_used_by_a_row() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/operations/rest");
    let used: Vec<&str> = stoa_rest_compat::routes::routes()
        .iter()
        .map(|r| r.file)
        .collect();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let entry = entry.expect("entry");
        if entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            used.contains(&name.as_str()),
            "{name} is not used by any route"
        );
    }
    // Every shared fragment is spread by some route's operation.
    for entry in std::fs::read_dir(format!("{dir}/fragments")).expect("fragments") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("fragment");
        let name = text
            .split("fragment ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .expect("fragment name");
        let spread = format!("...{name}");
        assert!(
            stoa_rest_compat::routes::routes()
                .iter()
                .any(|r| r.document.contains(&spread)),
            "fragment {name} is not used"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_row_operation_validates_against_the_schema() {
    // The check itself can fail.
    assert!(
        !stoa_server::schema::validate_operation("query X { nope }", "X")
            .await
            .is_empty()
    );
    assert!(
        !stoa_server::schema::validate_operation("query X($a: Int!) { me { id } }", "X")
            .await
            .is_empty()
    );
    // The core rows and the built-in plugins' rows.
    let table = stoa_server::plugins::Extensions::builtin()
        .expect("extensions")
        .rest;
    for route in table.rows() {
        let errors = stoa_server::schema::validate_operation(route.document, route.operation).await;
        assert!(errors.is_empty(), "{}: {errors:?}", route.file);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_catalog_flow_over_rest() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let token = admin_token(&app).await;
    let admin = Auth::Bearer(token);
    let rules = call(&app, Method::GET, "/api/v1/admin/tax-rules", &admin, None).await;
    assert_eq!(
        rules.data_keys(),
        [
            "id",
            "name",
            "rate",
            "country_code",
            "type",
            "created_at",
            "updated_at"
        ]
    );
    let all_rules = rules.json()["data"].as_array().expect("rules").clone();
    let rule_id = all_rules
        .iter()
        .find(|r| r["rate"] == 1900)
        .expect("19 % rule")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let body = json!({
        "sku": "JACKET-1", "active": true, "price_gross": 11900, "currency": "EUR", "tax_rule_id": rule_id,
        "translations": [
            {"locale": "de-DE", "name": "Regenjacke", "slug": "regenjacke", "description": "Wasserdichte Jacke", "meta_title": "Regenjacke"},
            {"locale": "en-US", "name": "Rain Jacket", "slug": "rain-jacket", "description": "Waterproof jacket"}
        ],
        "category_ids": ["0d000000-0000-4000-8002-000000000004"]
    })
    .to_string();
    let created = call(
        &app,
        Method::POST,
        "/api/v1/admin/products",
        &admin,
        Some(&body),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let p = created.json()["data"].clone();
    assert_eq!(
        (
            p["price_net"].clone(),
            p["translations"][0]["meta_title"].clone()
        ),
        (json!(10000), json!("Regenjacke"))
    );
    let id = p["id"].as_str().expect("id").to_owned();

    let groups = call(
        &app,
        Method::GET,
        "/api/v1/admin/property-groups",
        &admin,
        None,
    )
    .await
    .json();
    let options = |identifier: &str| -> Vec<Value> {
        groups["data"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["identifier"] == identifier)
            .expect("group")["options"]
            .as_array()
            .expect("options")
            .iter()
            .take(2)
            .map(|o| o["id"].clone())
            .collect()
    };
    let gen_body = json!({"option_groups": [options("color"), options("size")]}).to_string();
    let made = call(
        &app,
        Method::POST,
        &format!("/api/v1/admin/products/{id}/variants"),
        &admin,
        Some(&gen_body),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let variants = made.json()["data"].as_array().expect("variants").clone();
    let skus: Vec<&str> = variants
        .iter()
        .map(|v| v["sku"].as_str().expect("sku"))
        .collect();
    assert_eq!(
        skus,
        [
            "JACKET-1-SW-S",
            "JACKET-1-SW-M",
            "JACKET-1-WS-S",
            "JACKET-1-WS-M"
        ]
    );

    let items: Vec<Value> = variants
        .iter()
        .map(|v| json!({"product_id": id, "variant_id": v["id"], "quantity": 5}))
        .collect();
    let stock_body = json!({"items": items}).to_string();
    let stock = call(
        &app,
        Method::PUT,
        "/api/v1/admin/warehouses/00000000-0000-0000-0000-000000000001/stock",
        &admin,
        Some(&stock_body),
    )
    .await;
    assert_eq!(stock.status, 200, "{}", stock.text);

    let list = call(
        &app,
        Method::GET,
        "/api/v1/store/products?limit=25",
        &Auth::None,
        None,
    )
    .await
    .json();
    assert_eq!(list["meta"]["total"], 6);
    assert_eq!(list["data"]["items"][0]["sku"], "JACKET-1");
    assert_eq!(list["data"]["items"][0]["stock"], 20);
    for q in ["regenjacke", "jacket"] {
        let found = call(
            &app,
            Method::GET,
            &format!("/api/v1/store/products?search={q}"),
            &Auth::None,
            None,
        )
        .await
        .json();
        assert_eq!(found["meta"]["total"], 1, "{q}");
    }
    // Deleting answers 204 with no body; the product is gone.
    let del = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((del.status.as_u16(), del.text.as_str()), (204, ""));
    let gone = call(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        gone.error(),
        (404, "not_found".into(), "product not found".into())
    );
    // Validation in the product family: 422 with the Go field name.
    let bad = call(
        &app,
        Method::POST,
        "/api/v1/admin/products",
        &admin,
        Some(r#"{"currency":"EUR"}"#),
    )
    .await;
    assert_eq!(
        (bad.error().0, bad.json()["errors"][0]["field"].clone()),
        (422, json!("Translations"))
    );
}

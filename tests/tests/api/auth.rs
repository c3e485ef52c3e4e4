//! Login, registration, refresh rotation, logout, lockout and token checks.

use std::time::{Duration, Instant};

use serde_json::json;
use stoa_tests::{Auth, TEST_JWT_SECRET, TestApp};

const ME: &str = "{ me { kind id email role permissions apiKeyId } }";

#[tokio::test(flavor = "multi_thread")]
async fn staff_login_then_me() {
    let app = TestApp::new().await;
    app.create_staff("Boss@Example.com", "boss-password", "super_admin")
        .await;
    let r = app
        .try_login(" BOSS@example.com ", "boss-password")
        .await
        .ok();
    assert_eq!(r.data("login.expiresIn"), 900);
    assert_eq!(r.data("login.tokenType"), "Bearer");
    let access = r
        .data("login.accessToken")
        .as_str()
        .expect("token")
        .to_owned();
    let me = app.gql(&Auth::Bearer(access), ME, json!({})).await.ok();
    assert_eq!(me.data("me.kind"), "STAFF");
    assert_eq!(me.data("me.email"), "boss@example.com");
    assert_eq!(me.data("me.role"), "SUPER_ADMIN");
    assert_eq!(
        me.data("me.permissions").as_array().expect("perms").len(),
        40
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn anonymous_me_is_null() {
    let app = TestApp::new().await;
    let me = app.gql(&Auth::None, ME, json!({})).await.ok();
    assert!(me.data("me").is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_registers_logs_in_and_updates_account() {
    let app = TestApp::new().await;
    let c = app.register("Ann@Example.com", "ann-password").await;
    assert_eq!(c["email"], "ann@example.com");
    let t = app.login("ann@example.com", "ann-password").await;
    let auth = Auth::Bearer(t.access);
    let me = app.gql(&auth, ME, json!({})).await.ok();
    assert_eq!(me.data("me.kind"), "CUSTOMER");
    assert_eq!(
        me.data("me.permissions").as_array().expect("perms").len(),
        6
    );
    let upd = app
        .gql(
            &auth,
            "mutation { updateAccount(input: {firstName: \"Annie\"}) { firstName email } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(upd.data("updateAccount.firstName"), "Annie");
    let acc = app
        .gql(&auth, "{ account { firstName email active } }", json!({}))
        .await
        .ok();
    assert_eq!(acc.data("account.firstName"), "Annie");

    // Changing the password needs the current one.
    let wrong = app
        .gql(&auth, "mutation { updateAccount(input: {newPassword: \"new-password-1\", currentPassword: \"nope\"}) { id } }", json!({}))
        .await;
    assert_eq!(wrong.code(), "VALIDATION_ERROR");
    assert_eq!(
        wrong.body["errors"][0]["extensions"]["field"],
        "currentPassword"
    );
    app.gql(&auth, "mutation { updateAccount(input: {newPassword: \"new-password-1\", currentPassword: \"ann-password\"}) { id } }", json!({}))
        .await
        .ok();
    assert_eq!(
        app.try_login("ann@example.com", "ann-password")
            .await
            .code(),
        "INVALID_CREDENTIALS"
    );
    app.login("ann@example.com", "new-password-1").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_input_is_validated() {
    let app = TestApp::new().await;
    app.register("dup@example.com", "dup-password").await;
    let q = "mutation($i: RegisterInput!) { register(input: $i) { id } }";
    let dup = app
        .gql(
            &Auth::None,
            q,
            json!({"i": {"email": "DUP@example.com", "password": "other-password"}}),
        )
        .await;
    assert_eq!(dup.code(), "CONFLICT");
    assert_eq!(dup.body["errors"][0]["extensions"]["field"], "email");
    let bad = app
        .gql(
            &Auth::None,
            q,
            json!({"i": {"email": "not-an-email", "password": "long-enough"}}),
        )
        .await;
    assert_eq!(bad.code(), "VALIDATION_ERROR");
    assert_eq!(bad.body["errors"][0]["extensions"]["field"], "email");
    let short = app
        .gql(
            &Auth::None,
            q,
            json!({"i": {"email": "x@example.com", "password": "short"}}),
        )
        .await;
    assert_eq!(short.code(), "VALIDATION_ERROR");
    assert_eq!(short.body["errors"][0]["extensions"]["field"], "password");
    let wrong_type = app
        .gql(
            &Auth::None,
            q,
            json!({"i": {"email": 5, "password": "long-enough"}}),
        )
        .await;
    assert_eq!(
        (wrong_type.status, wrong_type.code()),
        (400, "GRAPHQL_VALIDATION_FAILED"),
        "{}",
        wrong_type.body
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_wins_when_staff_and_customer_share_an_email() {
    let app = TestApp::new().await;
    app.register("both@example.com", "customer-pass").await;
    app.create_staff("both@example.com", "staff-pass-1", "manager")
        .await;
    let t = app.login("both@example.com", "staff-pass-1").await;
    let me = app.gql(&Auth::Bearer(t.access), ME, json!({})).await.ok();
    assert_eq!(me.data("me.kind"), "STAFF");
    assert_eq!(
        app.try_login("both@example.com", "customer-pass")
            .await
            .code(),
        "INVALID_CREDENTIALS"
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = TestApp::new().await;
    app.register("known@example.com", "known-password").await;
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..3 {
        let t = Instant::now();
        let r = app
            .try_login("known@example.com", &format!("wrong-{i}"))
            .await;
        wrong.push(t.elapsed());
        assert_eq!(r.code(), "INVALID_CREDENTIALS");
        assert_eq!(r.body["errors"][0]["message"], "invalid email or password");
        let t = Instant::now();
        let r = app
            .try_login(&format!("ghost{i}@example.com"), "whatever-1")
            .await;
        unknown.push(t.elapsed());
        assert_eq!(r.code(), "INVALID_CREDENTIALS");
        assert_eq!(r.body["errors"][0]["message"], "invalid email or password");
    }
    // Both paths verify an Argon2id hash: the unknown email is not answered early.
    let (w, u) = (median(wrong), median(unknown));
    assert!(
        u.as_secs_f64() > w.as_secs_f64() * 0.3,
        "unknown {u:?} vs wrong {w:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn five_failures_lock_the_account() {
    let app = TestApp::new().await;
    app.register("lock@example.com", "right-password").await;
    for _ in 0..4 {
        assert_eq!(
            app.try_login("lock@example.com", "bad-password")
                .await
                .code(),
            "INVALID_CREDENTIALS"
        );
    }
    let fifth = app.try_login("lock@example.com", "bad-password").await;
    assert_eq!(fifth.code(), "ACCOUNT_LOCKED");
    let locked = app.try_login("lock@example.com", "right-password").await;
    assert_eq!(locked.code(), "ACCOUNT_LOCKED");
    let retry = locked.body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .expect("retryAfter");
    assert!(retry > 3500 && retry <= 3600, "{retry}");
    // Another email is unaffected.
    app.register("free@example.com", "right-password").await;
    app.login("free@example.com", "right-password").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn disabled_accounts_cannot_log_in_or_refresh() {
    let app = TestApp::new().await;
    app.register("off@example.com", "off-password").await;
    let t = app.login("off@example.com", "off-password").await;
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    use diesel_async::RunQueryDsl;
    diesel::sql_query("UPDATE customers SET active = false")
        .execute(&mut c)
        .await
        .expect("disable");
    assert_eq!(
        app.try_login("off@example.com", "off-password")
            .await
            .code(),
        "ACCOUNT_DISABLED"
    );
    let r = app
        .gql(
            &Auth::None,
            "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }",
            json!({"r": t.refresh}),
        )
        .await;
    assert_eq!(r.code(), "ACCOUNT_DISABLED");
}

fn sign(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn claims(exp_offset: i64, token_type: &str) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "jti": uuid::Uuid::now_v7(), "iat": now - 1000, "nbf": now - 1000, "exp": now + exp_offset,
        "uid": uuid::Uuid::now_v7(), "email": "x@example.com", "utype": "admin", "role": "super_admin", "type": token_type
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_tokens_are_refused_with_401_and_a_code() {
    let app = TestApp::new().await;
    let cases = [
        (
            Auth::Bearer(sign(claims(-600, "access"), TEST_JWT_SECRET)),
            "TOKEN_EXPIRED",
        ),
        (
            Auth::Bearer(sign(
                claims(600, "access"),
                "another-secret-0123456789abcdef0123",
            )),
            "INVALID_TOKEN",
        ),
        (
            Auth::Bearer(sign(claims(600, "refresh"), TEST_JWT_SECRET)),
            "INVALID_TOKEN",
        ),
        (Auth::Bearer("not.a.jwt".into()), "INVALID_TOKEN"),
        (Auth::Raw("Basic dXNlcjpwYXNz".into()), "INVALID_TOKEN"),
        (Auth::Raw("Bearer".into()), "INVALID_TOKEN"),
        (
            Auth::ApiKey(
                "ck_0000000000000000000000000000000000000000000000000000000000000000".into(),
            ),
            "INVALID_API_KEY",
        ),
        (Auth::ApiKey("nonsense".into()), "INVALID_API_KEY"),
    ];
    for (auth, code) in cases {
        let r = app.gql(&auth, ME, json!({})).await;
        assert_eq!(r.status, 401, "{auth:?}: {}", r.body);
        assert_eq!(r.code(), code, "{auth:?}");
    }
    // A forged token for a real staff role still cannot reach an admin field.
    let forged = Auth::Bearer(sign(
        claims(600, "access"),
        "another-secret-0123456789abcdef0123",
    ));
    assert_eq!(
        app.gql(&forged, "{ settings { storeName } }", json!({}))
            .await
            .code(),
        "INVALID_TOKEN"
    );
}

const REFRESH: &str =
    "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }";

#[tokio::test(flavor = "multi_thread")]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::new().await;
    app.register("rot@example.com", "rot-password").await;
    let first = app.login("rot@example.com", "rot-password").await;
    let second = app
        .gql(&Auth::None, REFRESH, json!({"r": first.refresh}))
        .await
        .ok();
    let second_refresh = second
        .data("refreshToken.refreshToken")
        .as_str()
        .expect("refresh")
        .to_owned();
    let second_access = second
        .data("refreshToken.accessToken")
        .as_str()
        .expect("access")
        .to_owned();
    app.gql(&Auth::Bearer(second_access), ME, json!({}))
        .await
        .ok();

    // The old refresh token again: reuse detected, and the family is gone.
    let reuse = app
        .gql(&Auth::None, REFRESH, json!({"r": first.refresh}))
        .await;
    assert_eq!(reuse.code(), "TOKEN_REUSED");
    let after = app
        .gql(&Auth::None, REFRESH, json!({"r": second_refresh}))
        .await;
    assert_eq!(after.code(), "TOKEN_REUSED");

    // An access token is not a refresh token; garbage is invalid.
    let wrong = app
        .gql(&Auth::None, REFRESH, json!({"r": first.access}))
        .await;
    assert_eq!(wrong.code(), "INVALID_TOKEN");
    assert_eq!(
        app.gql(&Auth::None, REFRESH, json!({"r": "garbage"}))
            .await
            .code(),
        "INVALID_TOKEN"
    );

    // A new login starts a new family that works.
    let fresh = app.login("rot@example.com", "rot-password").await;
    app.gql(&Auth::None, REFRESH, json!({"r": fresh.refresh}))
        .await
        .ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_refreshes_of_one_token_yield_one_winner() {
    let app = TestApp::new().await;
    app.register("race@example.com", "race-password").await;
    let t = app.login("race@example.com", "race-password").await;
    let (a, b) = tokio::join!(
        app.gql(&Auth::None, REFRESH, json!({"r": t.refresh})),
        app.gql(&Auth::None, REFRESH, json!({"r": t.refresh}))
    );
    let ok = [&a, &b]
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    assert_eq!(ok, 1, "{} / {}", a.body, b.body);
    assert!([a.code(), b.code()].contains(&"TOKEN_REUSED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_access_token_and_the_refresh_family() {
    let app = TestApp::new().await;
    app.register("out@example.com", "out-password").await;
    let t = app.login("out@example.com", "out-password").await;
    let auth = Auth::Bearer(t.access.clone());
    let r = app
        .gql(
            &auth,
            "mutation($r: String) { logout(refreshToken: $r) }",
            json!({"r": t.refresh}),
        )
        .await
        .ok();
    assert_eq!(r.data("logout"), true);
    let me = app.gql(&auth, ME, json!({})).await;
    assert_eq!(me.status, 401);
    assert_eq!(me.code(), "TOKEN_REVOKED");
    let refresh = app.gql(&Auth::None, REFRESH, json!({"r": t.refresh})).await;
    assert_eq!(refresh.code(), "TOKEN_REUSED");
    // Anonymous logout still succeeds.
    app.gql(&Auth::None, "mutation { logout }", json!({}))
        .await
        .ok();
}

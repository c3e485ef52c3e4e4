//! HTTP behaviour: health, request ids, security headers, CORS, body limits, malformed
//! requests, GraphQL limits, GET and GraphiQL, metrics, and a lost database.

use serde_json::{Value, json};
use stoa_tests::proxy::DbProxy;
use stoa_tests::{Auth, TestApp, TestDb};

#[tokio::test(flavor = "multi_thread")]
async fn health_has_the_reference_body_and_headers() {
    let app = TestApp::new().await;
    let r = app
        .http()
        .get(app.url("/api/v1/health"))
        .header("x-request-id", "req-123")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["x-request-id"], "req-123");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["content-security-policy"], "default-src 'self'");
    assert_eq!(
        r.text().await.expect("body"),
        "{\"data\":{\"status\":\"ok\"}}\n"
    );
    let generated = app
        .http()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    let id = generated.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let ready = app
        .http()
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(ready.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn cors_allows_only_configured_origins() {
    let app = TestApp::with_config(|c| {
        c.server.cors.allowed_origins = vec!["https://shop.example".into()]
    })
    .await;
    let pre = |origin: &'static str| {
        app.http()
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type,x-session-id",
            )
            .send()
    };
    let ok = pre("https://shop.example").await.expect("send");
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(ok.headers()["access-control-allow-credentials"], "true");
    let other = pre("https://evil.example").await.expect("send");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

async fn post_raw(app: &TestApp, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let r = app
        .http()
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_requests_get_400_with_a_code() {
    let app = TestApp::new().await;
    for body in ["{\"query\":", "not json", "", "[1, 2"] {
        let (status, v) = post_raw(&app, body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            v["errors"][0]["extensions"]["code"], "BAD_REQUEST",
            "{body}"
        );
    }
    let (status, v) = post_raw(&app, "{\"query\": 5}").await;
    assert_eq!(
        (status, v["errors"][0]["extensions"]["code"].clone()),
        (400, json!("BAD_REQUEST"))
    );
    let (status, v) = post_raw(&app, "{\"query\": \"{ me { \"}").await;
    assert_eq!(
        (status, v["errors"][0]["extensions"]["code"].clone()),
        (400, json!("GRAPHQL_PARSE_FAILED"))
    );
    let (status, v) = post_raw(&app, "{\"query\": \"{ nope }\"}").await;
    assert_eq!(
        (status, v["errors"][0]["extensions"]["code"].clone()),
        (400, json!("GRAPHQL_VALIDATION_FAILED"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_bodies_get_413() {
    let app = TestApp::with_config(|c| c.server.max_body_size = 1024).await;
    let big = format!(
        "{{\"query\": \"{{ me {{ id }} }}\", \"variables\": {{\"pad\": \"{}\"}}}}",
        "x".repeat(4096)
    );
    let (status, v) = post_raw(&app, big.clone()).await;
    assert_eq!(status, 413);
    assert_eq!(v["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    // Without a Content-Length (chunked), the limit holds while reading.
    let stream = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(big.into_bytes())]);
    let (status, v) = post_raw(&app, reqwest::Body::wrap_stream(stream)).await;
    assert_eq!(status, 413);
    assert_eq!(v["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
}

#[tokio::test(flavor = "multi_thread")]
async fn depth_and_complexity_limits_hold() {
    let app = TestApp::with_config(|c| {
        c.graphql.max_depth = 3;
        c.graphql.max_complexity = 5;
    })
    .await;
    let deep = app
        .gql(
            &Auth::None,
            "{ __schema { types { fields { type { name } } } } }",
            json!({}),
        )
        .await;
    assert_eq!((deep.status, deep.code()), (400, "QUERY_TOO_DEEP"));
    let wide = app
        .gql(&Auth::None, "{ a: storeConfig { defaultLocale availableLocales } b: storeConfig { defaultLocale availableLocales } c: storeConfig { defaultLocale } }", json!({}))
        .await;
    assert_eq!((wide.status, wide.code()), (400, "QUERY_TOO_COMPLEX"));
    app.gql(&Auth::None, "{ storeConfig { defaultLocale } }", json!({}))
        .await
        .ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn default_limits_allow_introspection() {
    let app = TestApp::new().await;
    let q = "query { __schema { queryType { name } types { name kind fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name } } } } } } }";
    app.gql(&Auth::None, q, json!({})).await.ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn get_runs_queries_but_not_mutations_and_browsers_get_graphiql() {
    let app = TestApp::new().await;
    let r = app
        .http()
        .get(app.url("/graphql"))
        .query(&[("query", "{ storeConfig { defaultLocale } }")])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["data"]["storeConfig"]["defaultLocale"], "de-DE");
    let m = app
        .http()
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { logout }")])
        .send()
        .await
        .expect("send");
    assert_eq!(m.status(), 405);
    let html = app
        .http()
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("send");
    assert_eq!(html.status(), 200);
    assert!(
        html.text()
            .await
            .expect("body")
            .to_lowercase()
            .contains("graphiql")
    );
    let unknown = app
        .http()
        .get(app.url("/api/v1/nope"))
        .send()
        .await
        .expect("send");
    assert_eq!(unknown.status(), 404);
    let v: Value = unknown.json().await.expect("json");
    assert_eq!(v["errors"][0]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_and_report_the_pool() {
    let app = TestApp::new().await;
    app.http()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    let text = app
        .http()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert!(
        text.contains(
            "stoa_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("stoa_http_request_duration_seconds_bucket"));
    assert!(text.contains("stoa_db_pool_max_connections 8"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_database_gives_503_and_the_pool_recovers() {
    stoa_server::telemetry::init_for_test();
    let db = TestDb::new().await;
    let mut proxy = DbProxy::start(db.server_address()).await;
    let app = TestApp::on_url(db.url_via(&proxy.addr.to_string()), |c| {
        c.database.wait_timeout = std::time::Duration::from_secs(2)
    })
    .await;
    app.register("db@example.com", "db-password").await;
    let t = app.login("db@example.com", "db-password").await;

    proxy.cut().await;
    let r = app.try_login("db@example.com", "db-password").await;
    assert_eq!(
        (r.status, r.code()),
        (503, "SERVICE_UNAVAILABLE"),
        "{}",
        r.body
    );
    let me = app
        .gql(&Auth::Bearer(t.access.clone()), "{ me { id } }", json!({}))
        .await;
    assert_eq!((me.status, me.code()), (503, "SERVICE_UNAVAILABLE"));
    let health = app
        .http()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send");
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.text().await.expect("body"),
        "{\"data\":{\"status\":\"degraded\"}}\n"
    );
    assert_eq!(
        app.http()
            .get(app.url("/readyz"))
            .send()
            .await
            .expect("send")
            .status(),
        503
    );

    proxy.restore().await;
    let health = app
        .http()
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert_eq!(health, "{\"data\":{\"status\":\"ok\"}}\n");
    app.gql(&Auth::Bearer(t.access), "{ me { id } }", json!({}))
        .await
        .ok();
    app.login("db@example.com", "db-password").await;
}

//! The storefront response cache: anonymous catalog reads are answered from memory, and
//! every kind of catalog change — a write on this instance, a write on another instance, a
//! statement straight in the database — is seen by the next read.

use std::time::{Duration, Instant};

use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

const BENCH: &str = include_str!("../../../schema/operations/bench/storefront_products.graphql");
const LIST: &str = "/api/v1/store/products?limit=5&sort=sku&order=asc";

/// GET `path` anonymously (or with `auth`): status, `x-stoa-cache`, body.
async fn get(app: &TestApp, path: &str, auth: Option<&str>) -> (u16, Option<String>, Value) {
    let mut req = app.http().get(app.url(path));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let cache = r
        .headers()
        .get("x-stoa-cache")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (status, cache, r.json().await.expect("json"))
}

async fn graphql(app: &TestApp, body: &Value, auth: Option<&str>) -> (Option<String>, Value) {
    let mut req = app.http().post(app.url("/graphql")).json(body);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let r = req.send().await.expect("request");
    let cache = r
        .headers()
        .get("x-stoa-cache")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (cache, r.json().await.expect("json"))
}

/// Waits until the instance hears catalog notifications (the cache answers).
async fn until_caching(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if get(app, "/api/v1/store/config", None).await.1.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the response cache never became active");
}

fn first_price(body: &Value) -> i64 {
    body["data"]["items"][0]["price_gross"]
        .as_i64()
        .expect("price_gross")
}

fn bearer(auth: &Auth) -> String {
    match auth {
        Auth::Bearer(t) => format!("Bearer {t}"),
        other => panic!("not a bearer token: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn anonymous_reads_are_cached_and_local_writes_clear_them() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    until_caching(&app).await;

    let (s, first, body) = get(&app, LIST, None).await;
    assert_eq!((s, first.as_deref()), (200, Some("miss")));
    let before = app.statement_count();
    let (_, second, again) = get(&app, LIST, None).await;
    assert_eq!(second.as_deref(), Some("hit"));
    assert_eq!(again, body, "a hit answers the same body");
    assert_eq!(app.statement_count(), before, "a hit runs no SQL");

    // Another Accept-Language is another entry.
    let r = app
        .http()
        .get(app.url(LIST))
        .header("accept-language", "en-US")
        .send()
        .await
        .expect("request");
    assert_eq!(r.headers()["x-stoa-cache"], "miss");

    // Signed-in callers are never served from, nor stored into, the cache.
    let admin = app.staff("admin").await;
    let (s, none, _) = get(&app, LIST, Some(&bearer(&admin))).await;
    assert_eq!((s, none), (200, None));

    // A write through this instance (REST) is visible to the very next anonymous read.
    let id = body["data"]["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = app
        .http()
        .put(app.url(&format!("/api/v1/admin/products/{id}")))
        .header("authorization", bearer(&admin))
        .json(&json!({"price_gross": 12345, "price_net": 10374}))
        .send()
        .await
        .expect("update");
    assert_eq!(r.status(), 200, "{}", r.text().await.expect("text"));
    let (_, state, after) = get(&app, LIST, None).await;
    assert_eq!(state.as_deref(), Some("miss"));
    assert_eq!(first_price(&after), 12345);

    // GraphQL: a storefront query is cached; a query touching the caller is not; a mutation
    // (here a failing one) clears the cache.
    let q = json!({"query": BENCH, "variables": {"page": 1, "limit": 3, "locale": "de-DE"}});
    assert_eq!(graphql(&app, &q, None).await.0.as_deref(), Some("miss"));
    let (hit, data) = graphql(&app, &q, None).await;
    assert_eq!(hit.as_deref(), Some("hit"));
    assert_eq!(data["data"]["products"]["total"], 5);
    let me = json!({"query": "{ me { __typename } products { total } }"});
    assert_eq!(graphql(&app, &me, None).await.0, None);
    assert_eq!(graphql(&app, &q, Some(&bearer(&admin))).await.0, None);
    let m = json!({"query": "mutation { logout }"});
    graphql(&app, &m, None).await;
    assert_eq!(graphql(&app, &q, None).await.0.as_deref(), Some("miss"));
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_from_elsewhere_reach_the_cache_through_notifications() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let other = TestApp::sharing(&app).await;
    until_caching(&app).await;
    until_caching(&other).await;

    let (_, _, body) = get(&app, LIST, None).await;
    assert_eq!(get(&app, LIST, None).await.1.as_deref(), Some("hit"));
    let id = body["data"]["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // A statement straight in the database (a script, the CLI, another service).
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    diesel::sql_query(format!(
        "UPDATE products SET price_gross = 777 WHERE id = '{id}'"
    ))
    .execute(&mut c)
    .await
    .expect("update");
    let seen = async {
        loop {
            let (s, _, b) = get(&app, LIST, None).await;
            assert_eq!(s, 200, "{b}");
            if first_price(&b) == 777 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), seen)
        .await
        .expect("the direct change reached the cache");

    // A write through the other instance.
    let admin = other.staff("admin").await;
    let r = other
        .http()
        .put(other.url(&format!("/api/v1/admin/products/{id}")))
        .header("authorization", bearer(&admin))
        .json(&json!({"price_gross": 888, "price_net": 746}))
        .send()
        .await
        .expect("update");
    assert_eq!(r.status(), 200);
    let seen = async {
        loop {
            let (s, _, b) = get(&app, LIST, None).await;
            assert_eq!(s, 200, "{b}");
            if first_price(&b) == 888 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), seen)
        .await
        .expect("the other instance's change reached the cache");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_cache_answers_every_read_from_the_database() {
    let app = TestApp::with_config(|c| c.cache.enabled = false).await;
    app.seed_demo().await;
    for _ in 0..2 {
        let before = app.statement_count();
        let (s, cache, _) = get(&app, LIST, None).await;
        assert_eq!((s, cache), (200, None));
        assert!(app.statement_count() > before);
    }
}

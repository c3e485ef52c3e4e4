//! The integration-test harness: one PostgreSQL server per run, a template database migrated
//! once, a fresh database per test, and a [`TestApp`] serving the real router over real HTTP.

#![expect(clippy::expect_used, reason = "tests fail fast on broken setup")]

pub mod db;
pub mod proxy;

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Value, json};
use stoa_server::{App, Config};
use tokio_util::sync::CancellationToken;

pub use db::TestDb;

/// The JWT secret of test apps.
pub const TEST_JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// How a request authenticates.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Bearer(String),
    ApiKey(String),
    /// A raw `Authorization` header value.
    Raw(String),
}

impl Auth {
    fn header(&self) -> Option<String> {
        match self {
            Self::None => None,
            Self::Bearer(t) => Some(format!("Bearer {t}")),
            Self::ApiKey(k) => Some(format!("ApiKey {k}")),
            Self::Raw(r) => Some(r.clone()),
        }
    }
}

/// A GraphQL response as the client saw it.
#[derive(Debug, Clone)]
pub struct GqlResponse {
    pub status: u16,
    pub body: Value,
}

impl GqlResponse {
    /// `data.<path>` (dot separated).
    pub fn data(&self, path: &str) -> &Value {
        let mut v = &self.body["data"];
        for seg in path.split('.').filter(|s| !s.is_empty()) {
            v = &v[seg];
        }
        v
    }

    /// The first error's `extensions.code`, or "" when there is none.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
    }

    /// Panics with the body when the response carries errors.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            self.body
        );
        assert_eq!(
            self.status, 200,
            "status {} body {}",
            self.status, self.body
        );
        self
    }
}

/// Tokens from a login.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// The configuration test apps start from.
pub fn test_config() -> Config {
    let mut c = Config::default();
    c.auth.jwt_secret = Some(TEST_JWT_SECRET.into());
    c.payment.encryption_key = Some("00".repeat(32));
    c.server.host = "127.0.0.1".into();
    c.server.port = 0;
    c
}

/// A running application on its own database.
pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub app: App,
    pub db_url: String,
    /// SQL statements run by this app's pool so far.
    pub statements: std::sync::Arc<std::sync::atomic::AtomicU64>,
    client: reqwest::Client,
    shutdown: CancellationToken,
    _db: Option<TestDb>,
}

impl TestApp {
    /// An app with the default test configuration on a fresh database.
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// An app whose configuration `f` adjusts, on a fresh database.
    pub async fn with_config(f: impl FnOnce(&mut Config)) -> Self {
        Self::with_plugins(stoa_server::plugins::builtin(), f).await
    }

    /// An app with these plugins (instead of the built-in ones), on a fresh database.
    pub async fn with_plugins(
        plugins: Vec<std::sync::Arc<dyn stoa_plugin_sdk::Plugin>>,
        f: impl FnOnce(&mut Config),
    ) -> Self {
        stoa_server::telemetry::init_for_test();
        let db = TestDb::new().await;
        let url = db.url().to_owned();
        Self::start_with(url, Some(db), f, plugins).await
    }

    /// A second instance on the same database (as behind a load balancer).
    pub async fn sharing(other: &TestApp) -> Self {
        Self::start(other.db_url.clone(), None, |_| {}).await
    }

    /// An app on an explicit database URL (which this app does not own).
    pub async fn on_url(url: String, f: impl FnOnce(&mut Config)) -> Self {
        Self::start(url, None, f).await
    }

    async fn start(url: String, db: Option<TestDb>, f: impl FnOnce(&mut Config)) -> Self {
        Self::start_with(url, db, f, stoa_server::plugins::builtin()).await
    }

    async fn start_with(
        url: String,
        db: Option<TestDb>,
        f: impl FnOnce(&mut Config),
        plugins: Vec<std::sync::Arc<dyn stoa_plugin_sdk::Plugin>>,
    ) -> Self {
        let mut cfg = test_config();
        cfg.database.url = Some(url.clone());
        f(&mut cfg);
        let mut settings = stoa_server::app::pool_settings(&cfg, &url);
        settings.max_size = 8;
        let statements = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        settings.statement_counter = Some(statements.clone());
        let pool = stoa_db::pool::build_pool(&settings).expect("pool");
        let app = App::with_plugins(cfg, pool, plugins)
            .expect("app")
            .with_statement_counter(Some(statements.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shutdown = CancellationToken::new();
        let served = app.clone();
        let token = shutdown.clone();
        tokio::spawn(async move {
            let _ = stoa_server::http::serve(listener, served, token).await;
        });
        Self {
            base: format!("http://{addr}"),
            addr,
            app,
            db_url: url,
            statements,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
            shutdown,
            _db: db,
        }
    }

    /// Statements run so far by this app's pool.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Loads the demo data set.
    pub async fn seed_demo(&self) {
        let mut c = stoa_db::pool::establish(&self.db_url).await.expect("conn");
        assert!(
            stoa_db::seed::seed_demo(&mut c, &|_| {})
                .await
                .expect("seed")
        );
        // The catalog notification would clear the response cache a moment later; clear it
        // now so that the next request surely sees the data.
        self.app.cache.invalidate();
    }

    /// Adds `n` generated products.
    pub async fn seed_products(&self, n: i64) {
        let mut c = stoa_db::pool::establish(&self.db_url).await.expect("conn");
        stoa_db::seed::generate_products(&mut c, n)
            .await
            .expect("generate");
        self.app.cache.invalidate();
    }

    /// The HTTP client.
    pub fn http(&self) -> &reqwest::Client {
        &self.client
    }

    /// `base + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// POSTs a GraphQL operation.
    pub async fn gql(&self, auth: &Auth, query: &str, variables: Value) -> GqlResponse {
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(h) = auth.header() {
            req = req.header("authorization", h);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.expect("json body");
        GqlResponse { status, body }
    }

    /// Creates a staff user straight in the database.
    pub async fn create_staff(&self, email: &str, password: &str, role: &str) {
        let email = &stoa_resolvers::domain::auth::service::normalize_email(email);
        let hash = stoa_resolvers::domain::auth::password::hash(password.to_owned())
            .await
            .expect("hash");
        let mut c = stoa_db::pool::establish(&self.db_url).await.expect("conn");
        stoa_db::models::AdminUser::create(
            &mut c,
            stoa_db::models::NewAdminUser {
                id: uuid::Uuid::now_v7(),
                email,
                password_hash: &hash,
                first_name: Some("Test"),
                last_name: Some("Staff"),
                role,
            },
        )
        .await
        .expect("create staff");
    }

    /// Registers a customer through GraphQL.
    pub async fn register(&self, email: &str, password: &str) -> Value {
        let r = self
            .gql(
                &Auth::None,
                "mutation($i: RegisterInput!) { register(input: $i) { id email firstName } }",
                json!({ "i": { "email": email, "password": password, "firstName": "Cu", "lastName": "Stomer" } }),
            )
            .await
            .ok();
        r.data("register").clone()
    }

    /// Logs in through GraphQL and returns the tokens.
    pub async fn login(&self, email: &str, password: &str) -> Tokens {
        let r = self.try_login(email, password).await.ok();
        Tokens {
            access: r
                .data("login.accessToken")
                .as_str()
                .expect("access")
                .to_owned(),
            refresh: r
                .data("login.refreshToken")
                .as_str()
                .expect("refresh")
                .to_owned(),
        }
    }

    /// The raw login response.
    pub async fn try_login(&self, email: &str, password: &str) -> GqlResponse {
        self.gql(
            &Auth::None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresIn tokenType } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// A staff user with the role, logged in.
    pub async fn staff(&self, role: &str) -> Auth {
        let email = format!("{role}-{}@example.com", uuid::Uuid::now_v7().simple());
        self.create_staff(&email, "staff-password-1", role).await;
        Auth::Bearer(self.login(&email, "staff-password-1").await.access)
    }

    /// A registered customer, logged in; returns the auth and the email.
    pub async fn customer(&self) -> (Auth, String) {
        let email = format!("cust-{}@example.com", uuid::Uuid::now_v7().simple());
        self.register(&email, "customer-password-1").await;
        (
            Auth::Bearer(self.login(&email, "customer-password-1").await.access),
            email,
        )
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

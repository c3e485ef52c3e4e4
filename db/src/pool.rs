//! The connection pool: deadpool over diesel-async, every connection tagged with an
//! `application_name` and bounded by a `statement_timeout`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool as DeadPool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::error::{DbError, DbResult};

/// The shared pool type.
pub type Pool = DeadPool<AsyncPgConnection>;
/// A pooled connection.
pub type Conn = Object<AsyncPgConnection>;

/// How the pool is sized and how its connections are set up.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub url: String,
    pub max_size: usize,
    pub wait_timeout: Duration,
    pub connect_timeout: Duration,
    pub application_name: String,
    pub statement_timeout: Duration,
    /// When set, every statement a pooled connection runs increments it: tests and benchmarks count SQL statements per request with it.
    pub statement_counter: Option<Arc<AtomicU64>>,
}

/// Counts statements on a connection.
struct StatementCounter(Arc<AtomicU64>);

impl diesel::connection::Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl PoolSettings {
    /// Defaults for a URL: 16 connections, 5 s wait, 30 s statement timeout.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_size: 16,
            wait_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            application_name: "stoa".to_owned(),
            statement_timeout: Duration::from_secs(30),
            statement_counter: None,
        }
    }
}

/// Builds the pool. No connection is opened until the first checkout.
pub fn build_pool(settings: &PoolSettings) -> DbResult<Pool> {
    let app_name = settings.application_name.replace('\'', "");
    let statement_ms = settings.statement_timeout.as_millis();
    let connect_timeout = settings.connect_timeout;
    let counter = settings.statement_counter.clone();
    let mut config = ManagerConfig::default();
    // No `SELECT 1` on every checkout (a round trip per checkout, several per GraphQL request
    // since DataLoaders check out concurrently): a connection whose socket closed reports
    // itself broken and is dropped, one with an open transaction too.
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(
        move |url: &str| -> BoxFuture<'_, diesel::ConnectionResult<AsyncPgConnection>> {
            let setup = format!(
                "SET application_name = '{app_name}'; SET statement_timeout = {statement_ms}; SET TIME ZONE 'UTC'"
            );
            let counter = counter.clone();
            async move {
                let mut conn =
                    tokio::time::timeout(connect_timeout, AsyncPgConnection::establish_url(url))
                        .await
                        .map_err(|_| {
                            diesel::ConnectionError::BadConnection("connect timed out".into())
                        })??;
                diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, &setup)
                    .await
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                if let Some(c) = counter {
                    diesel_async::AsyncConnection::set_instrumentation(
                        &mut conn,
                        StatementCounter(c),
                    );
                }
                Ok(conn)
            }
            .boxed()
        },
    );
    let manager =
        AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(&settings.url, config);
    DeadPool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.wait_timeout))
        .create_timeout(Some(settings.connect_timeout))
        .recycle_timeout(Some(settings.connect_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbError::Unavailable(e.to_string()))
}

/// Checks out a connection, mapping every pool failure to [`DbError::Unavailable`].
pub async fn conn(pool: &Pool) -> DbResult<Conn> {
    Ok(pool.get().await?)
}

/// Establishing a single connection outside the pool (listeners, admin tasks).
trait EstablishUrl: Sized {
    fn establish_url(url: &str) -> BoxFuture<'_, diesel::ConnectionResult<Self>>;
}

impl EstablishUrl for AsyncPgConnection {
    fn establish_url(url: &str) -> BoxFuture<'_, diesel::ConnectionResult<Self>> {
        <AsyncPgConnection as diesel_async::AsyncConnection>::establish(url).boxed()
    }
}

/// Opens one connection outside the pool.
pub async fn establish(url: &str) -> DbResult<AsyncPgConnection> {
    AsyncPgConnection::establish_url(url)
        .await
        .map_err(|e| DbError::Unavailable(e.to_string()))
}

/// True when the server has a database of that name.
pub async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> DbResult<bool> {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let row: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result(conn)
            .await?;
    Ok(row.exists)
}

/// `SELECT 1` through the pool: true when the database answers.
pub async fn ping(pool: &Pool) -> bool {
    use diesel_async::RunQueryDsl;
    let Ok(mut c) = pool.get().await else {
        return false;
    };
    diesel::sql_query("SELECT 1").execute(&mut c).await.is_ok()
}

//! Stoa's data layer: the generated diesel schema, models and their query functions,
//! the connection pool and the embedded migrations. Knows nothing of HTTP or GraphQL.

pub mod error;
pub mod migrations;
pub mod models;
pub mod pool;
#[rustfmt::skip]
pub mod schema;
pub mod seed;

pub use error::DbError;
pub use pool::{Conn, Pool, PoolSettings};

/// Re-exported so that callers can run transactions without importing diesel themselves.
pub use diesel_async::AsyncPgConnection;

diesel::define_sql_function! {
    /// SQL `LOWER(text)`, matching the `LOWER(email)` unique indexes.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
pub use diesel::result::Error as DieselError;
pub use diesel_async;
pub use ipnetwork;

//! Errors of the data layer, already sorted into what a caller can act on.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A data-layer failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database cannot be reached (pool timeout, refused or lost connection).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// No row matched.
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("constraint violated: {constraint}")]
    Conflict { constraint: String },
    /// Any other query failure (a bug or a broken invariant).
    #[error("query failed: {0}")]
    Query(DieselError),
}

impl DbError {
    /// True when the failure is the database being away rather than the query being wrong.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

impl From<DieselError> for DbError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(
                kind
                @ (DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation),
                info,
            ) => {
                let constraint = info
                    .constraint_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{kind:?}"));
                Self::Conflict { constraint }
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_connection_message(info.message()) =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            // A connection that died under a checked-out handle: diesel-async reports
            // tokio-postgres' `connection closed` (no SQLSTATE) as "unable to send command".
            DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Query(other),
        }
    }
}

fn is_connection_message(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    [
        "connection",
        "terminating",
        "shutting down",
        "starting up",
        "broken pipe",
        "closed",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for DbError {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

/// Result alias of the data layer.
pub type DbResult<T> = Result<T, DbError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_connection_is_unavailable() {
        let e = DieselError::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand,
            Box::new("connection closed".to_owned()),
        );
        assert!(matches!(DbError::from(e), DbError::Unavailable(m) if m == "connection closed"));
    }

    #[test]
    fn not_found_maps_to_not_found() {
        assert!(matches!(
            DbError::from(DieselError::NotFound),
            DbError::NotFound
        ));
    }

    #[test]
    fn rollback_is_a_query_error() {
        let e = DbError::from(DieselError::RollbackTransaction);
        assert!(matches!(e, DbError::Query(_)));
        assert!(!e.is_unavailable());
    }
}

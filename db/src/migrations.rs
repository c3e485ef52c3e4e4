//! The migrations of `migrations/`, embedded in the binary.

use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel_async::AsyncMigrationHarness;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{DbError, DbResult};
use crate::pool::establish;

/// Every migration of the repository, compiled in.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// One migration and whether it has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub version: String,
    pub applied: bool,
}

fn harness_err(e: impl std::fmt::Display) -> DbError {
    DbError::Unavailable(format!("migration failed: {e}"))
}

/// Applies every pending migration; returns the versions applied. Needs a multi-thread runtime.
pub async fn run_pending(url: &str) -> DbResult<Vec<String>> {
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    let done =
        tokio::task::block_in_place(|| h.run_pending_migrations(MIGRATIONS).map_err(harness_err))?;
    Ok(done.into_iter().map(|v| v.to_string()).collect())
}

/// Reverts the last applied migration; returns its version, if any was applied.
pub async fn revert_last(url: &str) -> DbResult<Option<String>> {
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    tokio::task::block_in_place(|| {
        let applied = h.applied_migrations().map_err(harness_err)?;
        if applied.is_empty() {
            return Ok(None);
        }
        h.revert_last_migration(MIGRATIONS)
            .map(|v| Some(v.to_string()))
            .map_err(harness_err)
    })
}

/// Lists every embedded migration with its state.
pub async fn status(url: &str) -> DbResult<Vec<MigrationState>> {
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    tokio::task::block_in_place(|| {
        let applied: Vec<String> = h
            .applied_migrations()
            .map_err(harness_err)?
            .into_iter()
            .map(|v| v.to_string())
            .collect();
        let all = MigrationSource::<Pg>::migrations(&MIGRATIONS).map_err(harness_err)?;
        Ok(all
            .iter()
            .map(|m| {
                let version = m.name().version().to_string();
                let applied = applied.contains(&version);
                MigrationState { version, applied }
            })
            .collect())
    })
}

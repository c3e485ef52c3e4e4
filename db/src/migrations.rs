//! The migrations of `migrations/`, embedded in the binary, and the migration sets of
//! plugins (each plugin crate embeds its own, see [`MigrationSet`]).
//!
//! Every set records its versions in the one `__diesel_schema_migrations` table, so versions
//! must be unique across sets: [`check_sets`] refuses a version that two sets share. "Up"
//! applies the pending migrations of each set in the order given (the core first); "down"
//! reverts the most recently applied migration of whichever set owns it.

use diesel::migration::{Migration, MigrationSource};
use diesel::pg::Pg;
use diesel_async::{AsyncMigrationHarness, RunQueryDsl};
use diesel_migrations::{MigrationHarness, embed_migrations};

pub use diesel_migrations::EmbeddedMigrations;

use crate::error::{DbError, DbResult};
use crate::pool::establish;

/// Every migration of the repository, compiled in.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

/// A named source of migrations: the core's ([`CORE`]) or a plugin's.
#[derive(Clone, Copy)]
pub struct MigrationSet {
    /// `core`, or the plugin's name.
    pub owner: &'static str,
    pub migrations: &'static EmbeddedMigrations,
}

impl std::fmt::Debug for MigrationSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrationSet")
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

impl MigrationSource<Pg> for MigrationSet {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<Pg>>>> {
        MigrationSource::<Pg>::migrations(self.migrations)
    }
}

/// The core's migrations (`migrations/`).
pub const CORE: MigrationSet = MigrationSet {
    owner: "core",
    migrations: &MIGRATIONS,
};

/// One migration and whether it has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// The set it belongs to (`core` or a plugin name).
    pub owner: &'static str,
    pub version: String,
    pub applied: bool,
}

fn harness_err(e: impl std::fmt::Display) -> DbError {
    DbError::Unavailable(format!("migration failed: {e}"))
}

/// The versions of a set, in ascending order.
fn versions(set: &MigrationSet) -> DbResult<Vec<String>> {
    let mut v: Vec<String> = MigrationSource::<Pg>::migrations(set)
        .map_err(harness_err)?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    v.sort();
    Ok(v)
}

/// Refuses sets that share an owner name or a version (they would share rows of
/// `__diesel_schema_migrations`).
pub fn check_sets(sets: &[MigrationSet]) -> DbResult<()> {
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        if sets[..i].iter().any(|s| s.owner == set.owner) {
            return Err(harness_err(format!(
                "migration set `{}` is listed twice",
                set.owner
            )));
        }
        for v in versions(set)? {
            if let Some(other) = seen.insert(v.clone(), set.owner) {
                return Err(harness_err(format!(
                    "migration version {v} of `{}` is also a version of `{other}`; pick another version (a timestamp of its own)",
                    set.owner
                )));
            }
        }
    }
    Ok(())
}

/// Applies every pending core migration; returns the versions applied. Needs a
/// multi-thread runtime.
pub async fn run_pending(url: &str) -> DbResult<Vec<String>> {
    run_pending_sets(url, &[CORE]).await
}

/// Applies the pending migrations of every set, set by set in the given order; returns the
/// versions applied. Needs a multi-thread runtime.
pub async fn run_pending_sets(url: &str, sets: &[MigrationSet]) -> DbResult<Vec<String>> {
    check_sets(sets)?;
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    tokio::task::block_in_place(|| {
        let mut done = Vec::new();
        for set in sets {
            let applied = h
                .run_pending_migrations(*set)
                .map_err(|e| harness_err(format!("{} (migrations of `{}`)", e, set.owner)))?;
            done.extend(applied.into_iter().map(|v| v.to_string()));
        }
        Ok(done)
    })
}

/// Reverts the last applied core migration; returns its version, if any was applied.
pub async fn revert_last(url: &str) -> DbResult<Option<String>> {
    Ok(revert_last_of_sets(url, &[CORE]).await?.map(|(_, v)| v))
}

#[derive(diesel::QueryableByName)]
struct AppliedRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// Reverts the most recently applied migration among the sets (by the time it was run,
/// then by version); returns its owner and version, if any migration of the sets is applied.
pub async fn revert_last_of_sets(
    url: &str,
    sets: &[MigrationSet],
) -> DbResult<Option<(&'static str, String)>> {
    check_sets(sets)?;
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    // Creates the bookkeeping table when it is missing.
    tokio::task::block_in_place(|| h.applied_migrations().map_err(harness_err))?;
    let mut conn = h.into_inner();
    let applied: Vec<AppliedRow> = diesel::sql_query(
        "SELECT version FROM __diesel_schema_migrations ORDER BY run_on DESC, version DESC",
    )
    .load(&mut conn)
    .await?;
    let mut h = AsyncMigrationHarness::new(conn);
    tokio::task::block_in_place(|| {
        for row in applied {
            for set in sets {
                let all = MigrationSource::<Pg>::migrations(set).map_err(harness_err)?;
                if let Some(m) = all
                    .iter()
                    .find(|m| m.name().version().to_string() == row.version)
                {
                    let m: &dyn Migration<Pg> = m.as_ref();
                    h.revert_migration(m).map_err(|e| {
                        harness_err(format!(
                            "{e} (reverting {} of `{}`)",
                            row.version, set.owner
                        ))
                    })?;
                    return Ok(Some((set.owner, row.version)));
                }
            }
        }
        Ok(None)
    })
}

/// Lists every embedded core migration with its state.
pub async fn status(url: &str) -> DbResult<Vec<MigrationState>> {
    status_of_sets(url, &[CORE]).await
}

/// Lists every migration of the sets (set by set, ascending versions) with its state.
pub async fn status_of_sets(url: &str, sets: &[MigrationSet]) -> DbResult<Vec<MigrationState>> {
    check_sets(sets)?;
    let conn = establish(url).await?;
    let mut h = AsyncMigrationHarness::new(conn);
    let applied: Vec<String> = tokio::task::block_in_place(|| {
        h.applied_migrations()
            .map_err(harness_err)
            .map(|a| a.into_iter().map(|v| v.to_string()).collect())
    })?;
    let mut out = Vec::new();
    for set in sets {
        for version in versions(set)? {
            let applied = applied.contains(&version);
            out.push(MigrationState {
                owner: set.owner,
                version,
                applied,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_listed_twice_is_refused() {
        let err = check_sets(&[CORE, CORE]).map_err(|e| e.to_string());
        assert!(
            matches!(&err, Err(m) if m.contains("listed twice")),
            "{err:?}"
        );
        let copy = MigrationSet {
            owner: "copycat",
            migrations: &MIGRATIONS,
        };
        let err = check_sets(&[CORE, copy]).map_err(|e| e.to_string());
        assert!(
            matches!(&err, Err(m) if m.contains("is also a version of `core`")),
            "{err:?}"
        );
        assert!(check_sets(&[CORE]).is_ok());
    }
}

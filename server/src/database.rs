//! Chooses the database: `database.url`, or the embedded cluster under `data_dir/postgres`;
//! runs the migrations of the core and the built-in plugins.

use anyhow::Result;

use crate::config::Config;
use crate::embedded_pg::EmbeddedPostgres;

/// The database in use; stops the embedded cluster (if this process started it) on `close`.
pub struct Database {
    pub url: String,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Opens the configured database, starting the embedded cluster when no URL is set.
    pub async fn open(config: &Config) -> Result<Self> {
        if let Some(url) = &config.database.url {
            return Ok(Self {
                url: url.clone(),
                embedded: None,
            });
        }
        let dir = config.data_dir.join("postgres");
        let pg = EmbeddedPostgres::start(&dir, config.database.postgres_bin_dir.as_deref()).await?;
        pg.ensure_database("stoa").await?;
        Ok(Self {
            url: pg.url("stoa"),
            embedded: Some(pg),
        })
    }

    /// Stops what `open` started.
    pub async fn close(self) -> Result<()> {
        if let Some(pg) = self.embedded {
            pg.stop().await?;
        }
        Ok(())
    }
}

/// Applies the pending migrations of the core, then of every built-in plugin; returns the
/// versions applied.
pub async fn migrate_up(url: &str) -> Result<Vec<String>> {
    Ok(stoa_db::migrations::run_pending_sets(url, &crate::plugins::migration_sets()).await?)
}

/// Reverts the most recently applied migration, core or plugin; returns its owner and
/// version.
pub async fn migrate_down(url: &str) -> Result<Option<(&'static str, String)>> {
    Ok(stoa_db::migrations::revert_last_of_sets(url, &crate::plugins::migration_sets()).await?)
}

/// Every migration of the core and the built-in plugins, with its state.
pub async fn migration_status(url: &str) -> Result<Vec<stoa_db::migrations::MigrationState>> {
    Ok(stoa_db::migrations::status_of_sets(url, &crate::plugins::migration_sets()).await?)
}

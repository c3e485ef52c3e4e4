//! Chooses the database: `database.url`, or the embedded cluster under `data_dir/postgres`.

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

//! `stoa import products FILE.csv`: parses the file with the CSV parser of
//! `importProducts` and runs it, in chunks, through the `bulkUpsertProducts` mutation on the
//! app's schema in-process (the architecture's one path: the same validation, transactions,
//! stock writes and audit entries as the API). The command line acts as a system principal
//! with `products.create`, `products.update` and `products.read`; audit entries show it as
//! `user_type` `api_key` with the nil id.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use async_graphql::Variables;
use serde_json::{Value, json};
use stoa_resolvers::RequestMeta;
use stoa_resolvers::catalog::import_csv::{self, CsvProduct};
use stoa_resolvers::domain::auth::{Permission, Principal};

use crate::app::{App, pool_settings};
use crate::config::Config;
use crate::database::Database;

/// Products sent per `bulkUpsertProducts` call (the progress bar moves per chunk).
const CHUNK: usize = 25;

const BULK: &str = "mutation CliImportProducts($products: [BulkProductInput!]!) {
  bulkUpsertProducts(products: $products) {
    results { index sku success id action errors }
  }
}";

/// A product of the file that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedRow {
    /// The line of the product's first row.
    pub line: u64,
    pub sku: String,
    pub errors: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub total: usize,
    pub created: usize,
    pub updated: usize,
    pub failed: Vec<FailedRow>,
}

/// The principal of the command line.
fn system_principal() -> Principal {
    Principal::StaffKey {
        key_id: uuid::Uuid::nil(),
        created_by: None,
        permissions: vec![
            Permission::ProductsCreate,
            Permission::ProductsUpdate,
            Permission::ProductsRead,
        ],
    }
}

/// Imports `path` into the app's database, drawing a progress bar on standard error when
/// `progress`, and writes the summary to `out`.
pub async fn import_products(
    app: &App,
    path: &Path,
    progress: bool,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    let bytes = tokio::fs::read(path)
        .await
        .with_context(|| format!("reading {}", path.display()))?;
    let rows = import_csv::parse(&bytes, &app.config.i18n.default_locale)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let bar = if progress {
        indicatif::ProgressBar::new(rows.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} products {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut summary = ImportSummary {
        total: rows.len(),
        ..ImportSummary::default()
    };
    for chunk in rows.chunks(CHUNK) {
        let results = run_chunk(app, chunk).await?;
        for (row, r) in chunk.iter().zip(results) {
            if r["success"] == true {
                if r["action"] == "UPDATED" {
                    summary.updated += 1;
                } else {
                    summary.created += 1;
                }
            } else {
                summary.failed.push(FailedRow {
                    line: row.line,
                    sku: row.sku.clone(),
                    errors: r["errors"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| e.as_str().map(str::to_owned))
                        .collect(),
                });
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    writeln!(
        out,
        "imported {}: {} products, {} created, {} updated, {} failed",
        path.display(),
        summary.total,
        summary.created,
        summary.updated,
        summary.failed.len()
    )?;
    for f in &summary.failed {
        writeln!(
            out,
            "  line {} (sku {}): {}",
            f.line,
            f.sku,
            f.errors.join("; ")
        )?;
    }
    Ok(summary)
}

/// One `bulkUpsertProducts` call; its results in input order.
async fn run_chunk(app: &App, chunk: &[CsvProduct]) -> Result<Vec<Value>> {
    let products: Vec<Value> = chunk.iter().map(CsvProduct::to_json).collect();
    let request = async_graphql::Request::new(BULK)
        .variables(Variables::from_json(json!({ "products": products })))
        .data(system_principal())
        .data(RequestMeta::default());
    let resp = app.schema.execute(request).await;
    if let Some(e) = resp.errors.first() {
        bail!("the import stopped: {}", e.message);
    }
    let data = resp.data.into_json().context("reading the import result")?;
    let mut results: Vec<Value> = data["bulkUpsertProducts"]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    results.sort_by_key(|r| r["index"].as_i64().unwrap_or_default());
    if results.len() != chunk.len() {
        bail!(
            "the import stopped: {} results for {} products",
            results.len(),
            chunk.len()
        );
    }
    Ok(results)
}

/// `stoa import products FILE`: opens the database (migrating the embedded one), imports,
/// prints the summary; an error when any product failed (a non-zero exit status).
pub async fn run_cli(cfg: Config, path: &Path) -> Result<()> {
    let db = Database::open(&cfg).await?;
    let result = async {
        if cfg.zero_config() {
            crate::database::migrate_up(&db.url).await?;
        }
        let pool = stoa_db::pool::build_pool(&pool_settings(&cfg, &db.url))?;
        let app = App::new(cfg.clone(), pool)?;
        let summary = import_products(&app, path, true, &mut std::io::stdout()).await?;
        if summary.failed.is_empty() {
            Ok(())
        } else {
            Err(anyhow!(
                "{} of {} products failed (lines {})",
                summary.failed.len(),
                summary.total,
                summary
                    .failed
                    .iter()
                    .map(|f| f.line.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
    .await;
    db.close().await?;
    result
}

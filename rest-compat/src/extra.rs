//! The rows a router serves: the core table ([`crate::routes::routes`]) plus rows that
//! plugins contribute. A plugin row lives under `/api/v1/admin/<plugin>/…` or
//! `/api/v1/store/<plugin>/…` (the plugin name, `_` or `-` between words), ships its own
//! operation document (its `file` starts with `plugins/`), and may not overlap any row
//! already in the table: [`RouteTable::add`] refuses it with a message naming both rows.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use async_graphql::parser::types::ExecutableDocument;

use crate::routes::routes;
use crate::table::Route;

/// Why a plugin's rows were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError(pub String);

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RowError {}

/// The rows of one router, each with its owner (`core` or a plugin name).
#[derive(Debug, Clone)]
pub struct RouteTable {
    rows: Vec<(&'static str, &'static Route)>,
}

impl Default for RouteTable {
    fn default() -> Self {
        Self::core()
    }
}

/// Parsed documents of plugin rows, by file (the core's are parsed in
/// [`crate::executor`]). Each distinct static document is parsed and kept once.
type Documents = HashMap<&'static str, (&'static str, &'static ExecutableDocument)>;
static EXTRA_DOCUMENTS: LazyLock<RwLock<Documents>> = LazyLock::new(|| RwLock::new(HashMap::new()));

/// The parsed document of a plugin row's file.
pub(crate) fn extra_document(file: &str) -> Option<&'static ExecutableDocument> {
    EXTRA_DOCUMENTS.read().ok()?.get(file).map(|(_, d)| *d)
}

/// `/a/{id}/b` and `/a/{slug}/b` (or `/a/x/b`) can match the same request.
fn overlaps(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    let param = |s: &str| s.starts_with('{');
    let catch_all = |s: &str| s.starts_with("{*");
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(x), _) if catch_all(x) => return true,
            (_, Some(y)) if catch_all(y) => return true,
            (Some(x), Some(y)) if x == y || param(x) || param(y) => {}
            _ => return false,
        }
    }
    true
}

impl RouteTable {
    /// The core rows.
    pub fn core() -> Self {
        Self {
            rows: routes().iter().map(|r| ("core", r)).collect(),
        }
    }

    /// Every row, core rows first, with its owner.
    pub fn rows(&self) -> impl Iterator<Item = &'static Route> + '_ {
        self.rows.iter().map(|(_, r)| *r)
    }

    /// Adds the rows of plugin `owner`, refusing any that overlaps a row already in the
    /// table, lies outside the plugin's paths, or whose document does not parse.
    pub fn add(&mut self, owner: &'static str, rows: &'static [Route]) -> Result<(), RowError> {
        let fail = |m: String| Err(RowError(format!("plugin `{owner}`: {m}")));
        let slugs = [owner.to_owned(), owner.replace('_', "-")];
        for row in rows {
            let this = format!("REST row {} {}", row.method.method(), row.path);
            for (other_owner, other) in &self.rows {
                let same = row.method == other.method;
                if overlaps(row.path, other.path) && (same || row.path != other.path) {
                    let whose = if *other_owner == "core" {
                        "a core route".to_owned()
                    } else {
                        format!("a route of `{other_owner}`")
                    };
                    return fail(format!(
                        "{this} would shadow {} {} ({whose}); REST rows must not overlap",
                        other.method.method(),
                        other.path
                    ));
                }
            }
            let inside = ["admin", "store"].iter().any(|area| {
                slugs.iter().any(|slug| {
                    let base = format!("/api/v1/{area}/{slug}");
                    row.path == base || row.path.starts_with(&format!("{base}/"))
                })
            });
            if !inside {
                return fail(format!(
                    "{this} must live under /api/v1/admin/{0}/ or /api/v1/store/{0}/",
                    slugs[1]
                ));
            }
            if row.bucket.is_some() || row.when_body_has.is_some() {
                return fail(format!(
                    "{this}: rate-limit buckets and body-chosen alternates are for core rows"
                ));
            }
            if !row.file.starts_with("plugins/") {
                return fail(format!(
                    "{this}: its file must be the document's path from the repository root (plugins/…), not {}",
                    row.file
                ));
            }
            Self::register_document(row)
                .map_err(|m| RowError(format!("plugin `{owner}`: {this}: {m}")))?;
            self.rows.push((owner, row));
        }
        Ok(())
    }

    fn register_document(row: &'static Route) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(row.document)
            .map_err(|e| format!("{}: {e}", row.file))?;
        if !doc
            .operations
            .iter()
            .any(|(name, _)| name.is_some_and(|n| n.as_str() == row.operation))
        {
            return Err(format!("{} has no operation {}", row.file, row.operation));
        }
        let mut docs = EXTRA_DOCUMENTS
            .write()
            .map_err(|_| "document registry poisoned".to_owned())?;
        if let Some((text, _)) = docs.get(row.file) {
            // Parsed before (by another router of this process): must be the same text.
            return if *text == row.document {
                Ok(())
            } else {
                Err(format!("{} is used with two different documents", row.file))
            };
        }
        docs.insert(row.file, (row.document, Box::leak(Box::new(doc))));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn overlapping_paths() {
        assert!(overlaps("/api/v1/admin/orders", "/api/v1/admin/orders"));
        assert!(overlaps(
            "/api/v1/admin/orders/{id}",
            "/api/v1/admin/orders/log"
        ));
        assert!(overlaps(
            "/api/v1/admin/{x}/log",
            "/api/v1/admin/orders/{id}"
        ));
        assert!(overlaps("/plugins/{*rest}", "/plugins/a/b"));
        assert!(!overlaps(
            "/api/v1/admin/orders",
            "/api/v1/admin/orders/{id}"
        ));
        assert!(!overlaps(
            "/api/v1/admin/order-guard/log",
            "/api/v1/admin/orders/{id}"
        ));
    }
}

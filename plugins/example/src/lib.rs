//! `order_guard`, an example plugin that uses every extension point.
//!
//! - Hooks (only when `plugins.order_guard` is configured):
//!   - `checkout.before`: refuses a checkout whose total (minor units) is above
//!     `plugins.order_guard.max_total`; the caller sees the message (422 `checkout_rejected`).
//!   - `checkout.after`: looks the order up in the database (from its own connection, so
//!     only a committed order is visible), writes it to its table `order_guard.log` and
//!     remembers its number and status in memory ([`OrderGuard::seen`]).
//! - Migrations ([`MIGRATIONS`]): the schema `order_guard` with the table `log`.
//! - GraphQL ([`graphql`]): `orderGuardLog` (`orders.read`), `clearOrderGuardLog`
//!   (`orders.update`).
//! - REST ([`rows::REST`]): `GET /api/v1/admin/order-guard/log`.
//! - MCP ([`rows::MCP_ADMIN`]): `admin_order_guard_log`.
//! - HTTP ([`http::router`]): `GET /plugins/order_guard/status`.
//!
//! The server lists the GraphQL objects, rows and router in `server/src/plugins.rs`.
//!
//! ```yaml
//! plugins:
//!   order_guard:
//!     max_total: 100000     # 1,000.00 in the store currency
//! ```

pub mod graphql;
pub mod http;
pub mod log;
pub mod rows;

use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use stoa_plugin_sdk::{
    EmbeddedMigrations, HookError, HookEvent, Plugin, PluginContext, PluginError, hooks,
};

/// An order the after-hook found committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenOrder {
    pub order_number: String,
    pub status: String,
}

/// The plugin; clones share what it has seen.
#[derive(Debug, Clone, Default)]
pub struct OrderGuard {
    seen: Arc<Mutex<Vec<SeenOrder>>>,
}

impl OrderGuard {
    /// Orders seen by `checkout.after`, oldest first.
    pub fn seen(&self) -> Vec<SeenOrder> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The plugin's migrations (`plugins/example/migrations/`).
pub static MIGRATIONS: EmbeddedMigrations = diesel_migrations::embed_migrations!("migrations");

fn total_of(e: &HookEvent) -> Option<i64> {
    e.entity.get("total").and_then(serde_json::Value::as_i64)
}

/// Reads the committed order `id` through a connection of our own and logs it; returns
/// its status, or `None` when the order is not visible (not committed).
async fn log_committed(pool: &stoa_db::Pool, id: &str) -> Result<Option<String>, String> {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use stoa_db::schema::orders;
    let id: uuid::Uuid = id.parse().map_err(|e| format!("order id: {e}"))?;
    let mut c = stoa_db::pool::conn(pool).await.map_err(|e| e.to_string())?;
    let order = orders::table
        .find(id)
        .select((
            orders::order_number,
            orders::status,
            orders::total,
            orders::currency,
        ))
        .first::<(String, String, i32, String)>(&mut c)
        .await
        .optional()
        .map_err(|e| e.to_string())?;
    let Some((number, status, total, currency)) = order else {
        return Ok(None);
    };
    log::LogEntry::record(
        &mut c,
        log::NewLogEntry {
            id: uuid::Uuid::now_v7(),
            order_id: id,
            order_number: &number,
            status: &status,
            total,
            currency: &currency,
        },
    )
    .await
    .map_err(|e| format!("order_guard.log: {e}"))?;
    Ok(Some(status))
}

impl Plugin for OrderGuard {
    fn name(&self) -> &'static str {
        "order_guard"
    }

    fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &'static str {
        "Refuses checkouts above plugins.order_guard.max_total; logs committed orders (table, GraphQL, REST, MCP, /plugins/order_guard/status)."
    }

    fn migrations(&self) -> Option<&'static EmbeddedMigrations> {
        Some(&MIGRATIONS)
    }

    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
        if ctx.config.is_null() {
            return Ok(());
        }
        let max_total = ctx
            .config
            .get("max_total")
            .map(|v| {
                v.as_i64()
                    .ok_or_else(|| ctx.fail("max_total must be an integer"))
            })
            .transpose()?;
        if let Some(max) = max_total {
            ctx.on(hooks::CHECKOUT_BEFORE, move |e| async move {
                match total_of(&e) {
                    Some(t) if t > max => Err(HookError::new(format!(
                        "orders above {max} are not accepted (this one is {t})"
                    ))),
                    _ => Ok(()),
                }
            })?;
        }
        let Some(pool) = ctx.pool.clone() else {
            return Ok(());
        };
        let seen = self.seen.clone();
        ctx.on(hooks::CHECKOUT_AFTER, move |e| {
            let (pool, seen) = (pool.clone(), seen.clone());
            async move {
                let id = e.entity.get("id").and_then(|v| v.as_str()).unwrap_or("");
                let number = e
                    .entity
                    .get("orderNumber")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned();
                let status = log_committed(&pool, id)
                    .await
                    .map_err(HookError::new)?
                    .ok_or_else(|| HookError::new(format!("order {number} is not visible")))?;
                seen.lock()
                    .map_err(|_| HookError::new("poisoned"))?
                    .push(SeenOrder {
                        order_number: number,
                        status,
                    });
                Ok(())
            }
            .boxed()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use serde_json::json;
    use stoa_plugin_sdk::{HookEvent, Plugins, hooks};

    use super::OrderGuard;

    #[tokio::test]
    async fn refuses_totals_above_the_limit_only_when_configured() {
        let mut config = BTreeMap::new();
        config.insert("order_guard".to_owned(), json!({"max_total": 1000}));
        let started = Plugins::start(vec![Arc::new(OrderGuard::default())], &config, None);
        let Ok(plugins) = started else {
            panic!("start failed");
        };
        let small = HookEvent::new(hooks::CHECKOUT_BEFORE, json!({"total": 999}));
        assert!(plugins.hooks().before(small).await.is_ok());
        let big = HookEvent::new(hooks::CHECKOUT_BEFORE, json!({"total": 1001}));
        let refusal = plugins.hooks().before(big).await.err().map(|e| e.message);
        assert_eq!(
            refusal.as_deref(),
            Some("orders above 1000 are not accepted (this one is 1001)")
        );

        let unconfigured = Plugins::start(
            vec![Arc::new(OrderGuard::default())],
            &BTreeMap::new(),
            None,
        );
        let Ok(unconfigured) = unconfigured else {
            panic!("start failed");
        };
        assert!(!unconfigured.hooks().has(hooks::CHECKOUT_BEFORE));

        let mut bad = BTreeMap::new();
        bad.insert("order_guard".to_owned(), json!({"max_total": "lots"}));
        assert!(Plugins::start(vec![Arc::new(OrderGuard::default())], &bad, None).is_err());
    }
}

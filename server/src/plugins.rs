//! The plugins compiled into this binary, and everything they contribute. Adding a plugin:
//! add its crate to `server/Cargo.toml`, then list it here:
//!
//! - [`builtin`]: the plugin itself (hooks, configuration, migrations through the SDK);
//! - [`PluginQuery`] / [`PluginMutation`]: its GraphQL objects, merged into the schema's
//!   roots ([`crate::schema`]);
//! - [`extensions`]: its REST rows, MCP tool rows and HTTP router.
//!
//! [`Extensions::assemble`] checks the contributions when the application is built, so a
//! bad one stops start-up with a message naming the plugin.

use std::sync::Arc;

use async_graphql::MergedObject;
use stoa_db::migrations::MigrationSet;
use stoa_mcp::ToolRow;
use stoa_plugin_sdk::Plugin;
use stoa_resolvers::AppState;
use stoa_rest_compat::table::Route;
use stoa_rest_compat::{RouteTable, RowError};

/// Every built-in plugin, in start order.
pub fn builtin() -> Vec<Arc<dyn Plugin>> {
    vec![Arc::new(stoa_plugin_order_guard::OrderGuard::default())]
}

/// The query fields of the built-in plugins.
#[derive(MergedObject, Default)]
#[graphql(name = "PluginQuery")]
pub struct PluginQuery(stoa_plugin_order_guard::graphql::OrderGuardQuery);

/// The mutation fields of the built-in plugins.
#[derive(MergedObject, Default)]
pub struct PluginMutation(stoa_plugin_order_guard::graphql::OrderGuardMutation);

/// A plugin's HTTP routes, relative to `/plugins/<name>`.
pub type PluginRouter = fn() -> axum::Router<AppState>;

/// What one plugin contributes to the REST layer, the MCP servers and the HTTP router.
#[derive(Clone, Copy)]
pub struct Extension {
    /// The plugin's name ([`Plugin::name`]).
    pub plugin: &'static str,
    /// REST rows, under `/api/v1/admin/<plugin>/…` or `/api/v1/store/<plugin>/…`.
    pub rest: &'static [Route],
    /// Tools of `/mcp/store`, named `store_<plugin>_…`.
    pub mcp_store: &'static [ToolRow],
    /// Tools of `/mcp/admin`, named `admin_<plugin>_…`.
    pub mcp_admin: &'static [ToolRow],
    /// Routes mounted under `/plugins/<plugin>`.
    pub router: Option<PluginRouter>,
}

/// The contributions of the built-in plugins.
pub fn extensions() -> Vec<Extension> {
    use stoa_plugin_order_guard as order_guard;
    vec![Extension {
        plugin: "order_guard",
        rest: order_guard::rows::REST,
        mcp_store: order_guard::rows::MCP_STORE,
        mcp_admin: order_guard::rows::MCP_ADMIN,
        router: Some(order_guard::http::router),
    }]
}

/// The core's migrations followed by the built-in plugins' (in start order).
pub fn migration_sets() -> Vec<MigrationSet> {
    let mut sets = vec![stoa_db::migrations::CORE];
    for p in builtin() {
        if let Some(migrations) = p.migrations() {
            sets.push(MigrationSet {
                owner: p.name(),
                migrations,
            });
        }
    }
    sets
}

/// A contribution that cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("{0}")]
    Rest(#[from] RowError),
    #[error(
        "plugin `{plugin}`: MCP tool `{tool}` of the {server} server must be named `{prefix}…`"
    )]
    McpPrefix {
        plugin: &'static str,
        tool: &'static str,
        server: &'static str,
        prefix: String,
    },
    #[error("plugin `{plugin}`: MCP tool `{tool}` is listed twice")]
    McpDuplicate {
        plugin: &'static str,
        tool: &'static str,
    },
    #[error("extensions of `{0}`, which is not a built-in plugin (server/src/plugins.rs)")]
    UnknownPlugin(&'static str),
    #[error("plugin `{0}` has two extension entries")]
    Duplicate(&'static str),
}

/// The assembled tables: core rows plus every plugin's.
#[derive(Clone, Debug)]
pub struct Extensions {
    /// The REST rows.
    pub rest: RouteTable,
    /// The tools of `/mcp/store`.
    pub mcp_store: Vec<&'static ToolRow>,
    /// The tools of `/mcp/admin`.
    pub mcp_admin: Vec<&'static ToolRow>,
    /// The plugin routers, by plugin name.
    pub routers: Vec<(&'static str, PluginRouter)>,
}

impl Extensions {
    /// Checks and assembles the contributions of `plugins` (names of the plugins that may
    /// contribute): REST rows may not overlap any other row and stay under the plugin's
    /// paths; MCP tools are prefixed `store_<plugin>_` / `admin_<plugin>_` and unique.
    pub fn assemble(list: &[Extension], plugins: &[&'static str]) -> Result<Self, ExtensionError> {
        let mut rest = RouteTable::core();
        let mut mcp_store: Vec<&'static ToolRow> =
            stoa_mcp::tools::rows(stoa_mcp::ServerKind::Store)
                .iter()
                .collect();
        let mut mcp_admin: Vec<&'static ToolRow> =
            stoa_mcp::tools::rows(stoa_mcp::ServerKind::Admin)
                .iter()
                .collect();
        let mut routers = Vec::new();
        for (i, ext) in list.iter().enumerate() {
            if !plugins.contains(&ext.plugin) {
                return Err(ExtensionError::UnknownPlugin(ext.plugin));
            }
            if list[..i].iter().any(|e| e.plugin == ext.plugin) {
                return Err(ExtensionError::Duplicate(ext.plugin));
            }
            rest.add(ext.plugin, ext.rest)?;
            for (server, rows, table) in [
                ("store", ext.mcp_store, &mut mcp_store),
                ("admin", ext.mcp_admin, &mut mcp_admin),
            ] {
                let prefix = format!("{server}_{}_", ext.plugin);
                for row in rows {
                    if !row.name.starts_with(&prefix) || row.name.len() == prefix.len() {
                        return Err(ExtensionError::McpPrefix {
                            plugin: ext.plugin,
                            tool: row.name,
                            server,
                            prefix,
                        });
                    }
                    if table.iter().any(|t| t.name == row.name) {
                        return Err(ExtensionError::McpDuplicate {
                            plugin: ext.plugin,
                            tool: row.name,
                        });
                    }
                    table.push(row);
                }
            }
            if let Some(router) = ext.router {
                routers.push((ext.plugin, router));
            }
        }
        Ok(Self {
            rest,
            mcp_store,
            mcp_admin,
            routers,
        })
    }

    /// The contributions of the built-in plugins.
    pub fn builtin() -> Result<Self, ExtensionError> {
        let names: Vec<&'static str> = builtin().iter().map(|p| p.name()).collect();
        Self::assemble(&extensions(), &names)
    }

    /// The `/plugins/<name>/…` routes of every plugin, on the application's state.
    pub fn router(&self, state: &AppState) -> axum::Router<crate::App> {
        let mut r = axum::Router::new();
        for (name, router) in &self.routers {
            r = r.nest(
                &format!("/plugins/{name}"),
                router().with_state(state.clone()),
            );
        }
        r
    }
}

/// `stoa plugin list`: name, version, whether configured, description, and what the plugin
/// contributes besides hooks.
pub fn list(config: &crate::config::Config) -> String {
    let exts = extensions();
    let sets = migration_sets();
    let mut out = String::new();
    for p in builtin() {
        let configured = if config.plugins.contains_key(p.name()) {
            "configured"
        } else {
            "not configured"
        };
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            p.name(),
            p.version(),
            configured,
            p.description()
        ));
        let mut parts = Vec::new();
        if let Some(set) = sets.iter().find(|s| s.owner == p.name()) {
            use diesel::migration::MigrationSource;
            let n = MigrationSource::<diesel::pg::Pg>::migrations(set).map_or(0, |m| m.len());
            parts.push(format!("{n} migration(s)"));
        }
        if let Some(e) = exts.iter().find(|e| e.plugin == p.name()) {
            for r in e.rest {
                parts.push(format!("REST {} {}", r.method.method(), r.path));
            }
            for t in e.mcp_store.iter().chain(e.mcp_admin) {
                parts.push(format!("MCP {}", t.name));
            }
            if e.router.is_some() {
                parts.push(format!("HTTP /plugins/{}/", p.name()));
            }
        }
        if !parts.is_empty() {
            out.push_str(&format!("  adds: {}\n", parts.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_builtin_plugin() {
        let cfg = crate::config::Config::default();
        let list = super::list(&cfg);
        assert!(list.starts_with("order_guard\t"), "{list}");
        assert!(list.contains("not configured"));
        assert!(
            list.contains("REST GET /api/v1/admin/order-guard/log")
                && list.contains("MCP admin_order_guard_log")
                && list.contains("1 migration(s)"),
            "{list}"
        );
    }

    #[test]
    fn the_builtin_extensions_assemble() {
        let ext = Extensions::builtin().map_err(|e| e.to_string());
        let Ok(ext) = ext else {
            panic!("{ext:?}");
        };
        assert!(
            ext.rest
                .rows()
                .any(|r| r.path == "/api/v1/admin/order-guard/log")
        );
        assert!(
            ext.mcp_admin
                .iter()
                .any(|t| t.name == "admin_order_guard_log")
        );
        assert_eq!(ext.routers.len(), 1);
        assert!(stoa_db::migrations::check_sets(&migration_sets()).is_ok());
    }

    static BAD_TOOL: &[ToolRow] = &[ToolRow {
        name: "admin_list_everything",
        ..stoa_plugin_order_guard::rows::MCP_ADMIN[0]
    }];

    static SHADOW: &[Route] = &[Route {
        path: "/api/v1/admin/orders",
        ..stoa_plugin_order_guard::rows::REST[0]
    }];

    static OUTSIDE: &[Route] = &[Route {
        path: "/api/v1/admin/guard-log",
        ..stoa_plugin_order_guard::rows::REST[0]
    }];

    fn ext(rest: &'static [Route], mcp_admin: &'static [ToolRow]) -> Extension {
        Extension {
            plugin: "order_guard",
            rest,
            mcp_store: &[],
            mcp_admin,
            router: None,
        }
    }

    fn assemble(list: &[Extension]) -> String {
        match Extensions::assemble(list, &["order_guard"]) {
            Ok(_) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_badly_prefixed_mcp_tool_is_refused() {
        assert_eq!(
            assemble(&[ext(&[], BAD_TOOL)]),
            "plugin `order_guard`: MCP tool `admin_list_everything` of the admin server must be named `admin_order_guard_…`"
        );
        let store = Extension {
            mcp_store: stoa_plugin_order_guard::rows::MCP_ADMIN,
            ..ext(&[], &[])
        };
        assert!(assemble(&[store]).contains("must be named `store_order_guard_…`"));
    }

    #[test]
    fn a_rest_row_shadowing_a_core_route_is_refused() {
        assert_eq!(
            assemble(&[ext(SHADOW, &[])]),
            "plugin `order_guard`: REST row GET /api/v1/admin/orders would shadow GET /api/v1/admin/orders (a core route); REST rows must not overlap"
        );
        assert!(
            assemble(&[ext(OUTSIDE, &[])]).contains(
                "must live under /api/v1/admin/order-guard/ or /api/v1/store/order-guard/"
            )
        );
        // Another plugin's copy of the row overlaps the first plugin's.
        let list = [
            ext(stoa_plugin_order_guard::rows::REST, &[]),
            Extension {
                plugin: "other",
                ..ext(stoa_plugin_order_guard::rows::REST, &[])
            },
        ];
        assert_eq!(
            assemble(&list),
            "extensions of `other`, which is not a built-in plugin (server/src/plugins.rs)"
        );
        let twice = Extensions::assemble(&list, &["order_guard", "other"]).err();
        assert_eq!(
            twice.map(|e| e.to_string()).as_deref(),
            Some(
                "plugin `other`: REST row GET /api/v1/admin/order-guard/log would shadow GET /api/v1/admin/order-guard/log (a route of `order_guard`); REST rows must not overlap"
            )
        );
        assert_eq!(
            assemble(&[ext(&[], &[]), ext(&[], &[])]),
            "plugin `order_guard` has two extension entries"
        );
    }
}

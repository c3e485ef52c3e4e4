//! The plugins compiled into this binary. Adding a plugin: add its crate to
//! `server/Cargo.toml` and one line here; it starts when the server starts (and registers
//! hooks only when its `plugins.<name>` configuration asks it to).

use std::sync::Arc;

use stoa_plugin_sdk::Plugin;

/// Every built-in plugin, in start order.
pub fn builtin() -> Vec<Arc<dyn Plugin>> {
    vec![Arc::new(stoa_plugin_order_guard::OrderGuard::default())]
}

/// `stoa plugin list`: name, version, whether configured, description.
pub fn list(config: &crate::config::Config) -> String {
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
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_names_every_builtin_plugin() {
        let cfg = crate::config::Config::default();
        let list = super::list(&cfg);
        assert!(list.starts_with("order_guard\t"), "{list}");
        assert!(list.contains("not configured"));
    }
}

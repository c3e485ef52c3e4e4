//! The Stoa plugin SDK.
//!
//! A plugin is a Rust type implementing [`Plugin`], compiled into the `stoa` binary (like the
//! reference, registration is at compile time: the server lists its plugins in one place).
//! At start-up every plugin's [`Plugin::init`] receives a [`PluginContext`] with its own
//! configuration (`plugins.<name>.*`) and the [`HookRegistry`], where it subscribes handlers
//! to the hook names in [`hooks`].
//!
//! Hooks come in two kinds:
//! - **before** hooks (`*.before_*`, `checkout.before`) run inside the operation, before it
//!   commits, in registration order; the first error cancels the operation and its message is
//!   shown to the caller (checkout answers 422 `checkout_rejected`);
//! - **after** hooks (`*.after_*`) run after the commit; they cannot undo it, and their errors
//!   are logged, never shown.
//!
//! Besides hooks, a plugin may ship SQL migrations ([`Plugin::migrations`]). Its GraphQL
//! fields (merged objects), HTTP routes, REST rows and MCP tool rows need the HTTP and
//! GraphQL crates, which this SDK does not know: the plugin crate exports them and the
//! server's `plugins.rs` lists them (see `docs/plugins.md`).
//!
//! Hook events carry JSON snapshots of the entity (the order, the product, …), the changes
//! and free metadata; plugins cannot mutate the core's values through them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde_json::{Map, Value};

pub use stoa_db::migrations::EmbeddedMigrations;

/// Every hook name the core fires, as constants.
pub mod hooks {
    macro_rules! names {
        ($($id:ident = $name:literal;)*) => {
            $(#[doc = concat!("`", $name, "`")] pub const $id: &str = $name;)*
            /// Every hook name.
            pub const ALL: &[&str] = &[$($name),*];
        };
    }
    names! {
        PRODUCT_BEFORE_CREATE = "product.before_create";
        PRODUCT_AFTER_CREATE = "product.after_create";
        PRODUCT_BEFORE_UPDATE = "product.before_update";
        PRODUCT_AFTER_UPDATE = "product.after_update";
        PRODUCT_BEFORE_DELETE = "product.before_delete";
        PRODUCT_AFTER_DELETE = "product.after_delete";
        CATEGORY_BEFORE_CREATE = "category.before_create";
        CATEGORY_AFTER_CREATE = "category.after_create";
        CATEGORY_BEFORE_UPDATE = "category.before_update";
        CATEGORY_AFTER_UPDATE = "category.after_update";
        CATEGORY_BEFORE_DELETE = "category.before_delete";
        CATEGORY_AFTER_DELETE = "category.after_delete";
        CUSTOMER_BEFORE_CREATE = "customer.before_create";
        CUSTOMER_AFTER_CREATE = "customer.after_create";
        CUSTOMER_BEFORE_UPDATE = "customer.before_update";
        CUSTOMER_AFTER_UPDATE = "customer.after_update";
        ORDER_BEFORE_CREATE = "order.before_create";
        ORDER_AFTER_CREATE = "order.after_create";
        ORDER_BEFORE_UPDATE = "order.before_update";
        ORDER_AFTER_UPDATE = "order.after_update";
        CART_BEFORE_ADD_ITEM = "cart.before_add_item";
        CART_AFTER_ADD_ITEM = "cart.after_add_item";
        CART_BEFORE_UPDATE_ITEM = "cart.before_update_item";
        CART_AFTER_UPDATE_ITEM = "cart.after_update_item";
        CART_BEFORE_REMOVE_ITEM = "cart.before_remove_item";
        CART_AFTER_REMOVE_ITEM = "cart.after_remove_item";
        CHECKOUT_BEFORE = "checkout.before";
        CHECKOUT_AFTER = "checkout.after";
        CHECKOUT_AFTER_FAILED = "checkout.after_failed";
        WAREHOUSE_BEFORE_CREATE = "warehouse.before_create";
        WAREHOUSE_AFTER_CREATE = "warehouse.after_create";
        WAREHOUSE_BEFORE_UPDATE = "warehouse.before_update";
        WAREHOUSE_AFTER_UPDATE = "warehouse.after_update";
        WAREHOUSE_BEFORE_DELETE = "warehouse.before_delete";
        WAREHOUSE_AFTER_DELETE = "warehouse.after_delete";
        WAREHOUSE_BEFORE_STOCK_UPDATE = "warehouse.before_stock_update";
        WAREHOUSE_AFTER_STOCK_UPDATE = "warehouse.after_stock_update";
        WAREHOUSE_AFTER_STOCK_DEDUCT = "warehouse.after_stock_deduct";
        TAX_BEFORE_CREATE = "tax.before_create";
        TAX_AFTER_CREATE = "tax.after_create";
        TAX_BEFORE_UPDATE = "tax.before_update";
        TAX_AFTER_UPDATE = "tax.after_update";
        TAX_BEFORE_DELETE = "tax.before_delete";
        TAX_AFTER_DELETE = "tax.after_delete";
        SHIPPING_BEFORE_CREATE = "shipping.before_create";
        SHIPPING_AFTER_CREATE = "shipping.after_create";
        SHIPPING_BEFORE_UPDATE = "shipping.before_update";
        SHIPPING_AFTER_UPDATE = "shipping.after_update";
        SHIPPING_BEFORE_DELETE = "shipping.before_delete";
        SHIPPING_AFTER_DELETE = "shipping.after_delete";
        PAYMENT_METHOD_BEFORE_CREATE = "payment_method.before_create";
        PAYMENT_METHOD_AFTER_CREATE = "payment_method.after_create";
        PAYMENT_METHOD_BEFORE_UPDATE = "payment_method.before_update";
        PAYMENT_METHOD_AFTER_UPDATE = "payment_method.after_update";
        PAYMENT_METHOD_BEFORE_DELETE = "payment_method.before_delete";
        PAYMENT_METHOD_AFTER_DELETE = "payment_method.after_delete";
        PAYMENT_TRANSACTION_AFTER_CREATE = "payment_transaction.after_create";
        PAYMENT_AFTER_COMPLETE = "payment.after_complete";
        PAYMENT_AFTER_FAILED = "payment.after_failed";
        DISCOUNT_BEFORE_CREATE = "discount.before_create";
        DISCOUNT_AFTER_CREATE = "discount.after_create";
        DISCOUNT_BEFORE_UPDATE = "discount.before_update";
        DISCOUNT_AFTER_UPDATE = "discount.after_update";
        DISCOUNT_BEFORE_DELETE = "discount.before_delete";
        DISCOUNT_AFTER_DELETE = "discount.after_delete";
        TAG_BEFORE_CREATE = "tag.before_create";
        TAG_AFTER_CREATE = "tag.after_create";
        TAG_BEFORE_UPDATE = "tag.before_update";
        TAG_AFTER_UPDATE = "tag.after_update";
        TAG_BEFORE_DELETE = "tag.before_delete";
        TAG_AFTER_DELETE = "tag.after_delete";
        MEDIA_BEFORE_UPLOAD = "media.before_upload";
        MEDIA_AFTER_UPLOAD = "media.after_upload";
        MEDIA_BEFORE_DELETE = "media.before_delete";
        MEDIA_AFTER_DELETE = "media.after_delete";
    }

    /// True for hooks that run before the commit and may cancel the operation.
    pub fn is_before(name: &str) -> bool {
        name.contains(".before")
    }
}

/// What a hook sees.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HookEvent {
    /// The hook name (`checkout.before`).
    pub name: String,
    /// A snapshot of the entity (the order, the product, …) in the GraphQL field names.
    pub entity: Value,
    /// What changes (`from_status`, `to_status`, …), where the hook documents it.
    pub changes: Map<String, Value>,
    /// Anything else (`provider`, `payment_reference`, …).
    pub metadata: Map<String, Value>,
}

impl HookEvent {
    /// An event of `name` about `entity`.
    pub fn new(name: &str, entity: Value) -> Self {
        Self {
            name: name.to_owned(),
            entity,
            ..Self::default()
        }
    }

    /// Adds a change.
    pub fn change(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.changes.insert(key.to_owned(), value.into());
        self
    }

    /// Adds metadata.
    pub fn meta(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.to_owned(), value.into());
        self
    }
}

/// A hook's refusal: the message is shown to the caller of a cancelled operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HookError {
    /// The plugin that refused.
    pub plugin: String,
    pub message: String,
}

impl HookError {
    /// A refusal with a message for the caller.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            plugin: String::new(),
            message: message.into(),
        }
    }
}

/// A plugin failed to start, or registered something invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    #[error("plugin `{0}` is registered twice")]
    Duplicate(String),
    #[error("plugin `{plugin}`: unknown hook `{hook}`")]
    UnknownHook { plugin: String, hook: String },
    #[error("plugin `{plugin}`: {message}")]
    Init { plugin: String, message: String },
}

/// A hook handler: receives the event, answers `Ok` or a refusal.
pub type Handler =
    Arc<dyn Fn(HookEvent) -> BoxFuture<'static, Result<(), HookError>> + Send + Sync>;

/// The handlers of every hook, in registration order.
#[derive(Default, Clone)]
pub struct HookRegistry {
    handlers: HashMap<&'static str, Vec<(String, Handler)>>,
}

impl std::fmt::Debug for HookRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.handlers.keys().collect();
        names.sort();
        f.debug_struct("HookRegistry")
            .field("hooks", &names)
            .finish()
    }
}

impl HookRegistry {
    /// True when some plugin listens to `name` (callers skip building events otherwise).
    pub fn has(&self, name: &str) -> bool {
        self.handlers.get(name).is_some_and(|h| !h.is_empty())
    }

    fn register(&mut self, plugin: &str, name: &str, handler: Handler) -> Result<(), PluginError> {
        let Some(known) = hooks::ALL.iter().find(|n| **n == name) else {
            return Err(PluginError::UnknownHook {
                plugin: plugin.to_owned(),
                hook: name.to_owned(),
            });
        };
        self.handlers
            .entry(known)
            .or_default()
            .push((plugin.to_owned(), handler));
        Ok(())
    }

    /// Runs the handlers of a before-hook in order; the first refusal stops them and is
    /// returned (naming its plugin) so that the caller cancels the operation.
    pub async fn before(&self, event: HookEvent) -> Result<(), HookError> {
        let Some(handlers) = self.handlers.get(event.name.as_str()) else {
            return Ok(());
        };
        for (plugin, h) in handlers {
            if let Err(mut e) = h(event.clone()).await {
                e.plugin.clone_from(plugin);
                return Err(e);
            }
        }
        Ok(())
    }

    /// Runs every handler of an after-hook; errors are logged and do not stop the others.
    pub async fn after(&self, event: HookEvent) {
        let Some(handlers) = self.handlers.get(event.name.as_str()) else {
            return;
        };
        for (plugin, h) in handlers {
            if let Err(e) = h(event.clone()).await {
                tracing::warn!(plugin = %plugin, hook = %event.name, error = %e.message, "after-hook failed");
            }
        }
    }
}

/// What a plugin gets at start-up.
pub struct PluginContext<'a> {
    plugin: &'static str,
    hooks: &'a mut HookRegistry,
    /// `plugins.<name>.*` from the configuration (`null` when absent).
    pub config: Value,
    /// The database pool (absent in commands that run without a database, such as
    /// `stoa plugin list`). Handlers may keep a clone; they run outside the core's
    /// transaction, so before-hooks must not expect to see the operation's own writes.
    pub pool: Option<stoa_db::Pool>,
}

impl PluginContext<'_> {
    /// Subscribes `handler` to the hook `name` (one of [`hooks::ALL`]).
    pub fn on<F, Fut>(&mut self, name: &str, handler: F) -> Result<(), PluginError>
    where
        F: Fn(HookEvent) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), HookError>> + Send + 'static,
    {
        let h: Handler = Arc::new(move |e| Box::pin(handler(e)));
        self.hooks.register(self.plugin, name, h)
    }

    /// An initialisation failure of this plugin.
    pub fn fail(&self, message: impl Into<String>) -> PluginError {
        PluginError::Init {
            plugin: self.plugin.to_owned(),
            message: message.into(),
        }
    }
}

/// A plugin.
pub trait Plugin: Send + Sync + 'static {
    /// Unique, lower case (`order_guard`); also its configuration key under `plugins`.
    fn name(&self) -> &'static str;
    fn version(&self) -> &'static str;
    fn description(&self) -> &'static str;
    /// Subscribes hooks and reads the configuration.
    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError>;
    /// Called once when the server stops, in reverse start order.
    fn shutdown(&self) -> Result<(), PluginError> {
        Ok(())
    }
    /// The plugin's SQL migrations (`diesel_migrations::embed_migrations!("migrations")` in
    /// the plugin crate, kept in a `static`). They run after the core's in `stoa migrate up`,
    /// `stoa serve --migrate` (and the zero-config run) and the test harness; `stoa migrate
    /// down` reverts the most recently applied migration, whoever owns it. Versions must
    /// differ from every core version (start-up refuses a shared one), and tables belong in
    /// a PostgreSQL schema named after the plugin (`CREATE SCHEMA order_guard`), so they
    /// never clash with core tables nor appear in `db/src/schema.rs`.
    fn migrations(&self) -> Option<&'static EmbeddedMigrations> {
        None
    }
}

/// The started plugins and the hooks they registered.
#[derive(Clone, Default)]
pub struct Plugins {
    started: Vec<Arc<dyn Plugin>>,
    hooks: Arc<HookRegistry>,
}

impl std::fmt::Debug for Plugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugins")
            .field(
                "started",
                &self.started.iter().map(|p| p.name()).collect::<Vec<_>>(),
            )
            .field("hooks", &self.hooks)
            .finish()
    }
}

impl Plugins {
    /// Starts `plugins` in order with their configuration sections; a duplicate name or a
    /// failing `init` stops start-up with an error naming the plugin.
    pub fn start(
        plugins: Vec<Arc<dyn Plugin>>,
        config: &BTreeMap<String, Value>,
        pool: Option<stoa_db::Pool>,
    ) -> Result<Self, PluginError> {
        let mut hooks = HookRegistry::default();
        let mut started: Vec<Arc<dyn Plugin>> = Vec::new();
        for p in plugins {
            if started.iter().any(|s| s.name() == p.name()) {
                return Err(PluginError::Duplicate(p.name().to_owned()));
            }
            let mut ctx = PluginContext {
                plugin: p.name(),
                hooks: &mut hooks,
                config: config.get(p.name()).cloned().unwrap_or(Value::Null),
                pool: pool.clone(),
            };
            p.init(&mut ctx)?;
            started.push(p);
        }
        Ok(Self {
            started,
            hooks: Arc::new(hooks),
        })
    }

    /// The hook registry.
    pub fn hooks(&self) -> &HookRegistry {
        &self.hooks
    }

    /// Name, version and description of every started plugin, in start order.
    pub fn list(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        self.started
            .iter()
            .map(|p| (p.name(), p.version(), p.description()))
            .collect()
    }

    /// Shuts the plugins down in reverse order; failures are logged.
    pub fn shutdown(&self) {
        for p in self.started.iter().rev() {
            if let Err(e) = p.shutdown() {
                tracing::warn!(plugin = p.name(), error = %e, "plugin shutdown failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Recorder {
        name: &'static str,
        seen: Arc<Mutex<Vec<String>>>,
        refuse: bool,
    }

    impl Plugin for Recorder {
        fn name(&self) -> &'static str {
            self.name
        }
        fn version(&self) -> &'static str {
            "1.0.0"
        }
        fn description(&self) -> &'static str {
            "records hooks"
        }
        fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
            let (seen, refuse, name) = (self.seen.clone(), self.refuse, self.name);
            ctx.on(hooks::CHECKOUT_BEFORE, move |e| {
                let seen = seen.clone();
                async move {
                    seen.lock()
                        .map_err(|_| HookError::new("poisoned"))?
                        .push(format!("{name}:{}", e.name));
                    if refuse {
                        Err(HookError::new("no"))
                    } else {
                        Ok(())
                    }
                }
            })
        }
    }

    fn recorder(
        name: &'static str,
        seen: &Arc<Mutex<Vec<String>>>,
        refuse: bool,
    ) -> Arc<dyn Plugin> {
        Arc::new(Recorder {
            name,
            seen: seen.clone(),
            refuse,
        })
    }

    #[tokio::test]
    async fn before_hooks_run_in_order_and_the_first_refusal_stops_them() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let plugins = Plugins::start(
            vec![
                recorder("a", &seen, false),
                recorder("b", &seen, true),
                recorder("c", &seen, false),
            ],
            &BTreeMap::new(),
            None,
        )
        .map_err(|e| e.to_string());
        let Ok(plugins) = plugins else {
            panic!("start failed: {plugins:?}");
        };
        let err = plugins
            .hooks()
            .before(HookEvent::new(hooks::CHECKOUT_BEFORE, Value::Null))
            .await;
        assert_eq!(
            err,
            Err(HookError {
                plugin: "b".into(),
                message: "no".into()
            })
        );
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen, ["a:checkout.before", "b:checkout.before"]);
        assert!(plugins.hooks().has(hooks::CHECKOUT_BEFORE));
        assert!(!plugins.hooks().has(hooks::CHECKOUT_AFTER));
        assert_eq!(plugins.list().len(), 3);
    }

    #[test]
    fn duplicates_and_unknown_hooks_are_refused() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let dup = Plugins::start(
            vec![recorder("a", &seen, false), recorder("a", &seen, false)],
            &BTreeMap::new(),
            None,
        );
        assert_eq!(dup.err(), Some(PluginError::Duplicate("a".into())));
        let mut reg = HookRegistry::default();
        let mut ctx = PluginContext {
            plugin: "x",
            hooks: &mut reg,
            config: Value::Null,
            pool: None,
        };
        let e = ctx.on("order.before_teleport", |_| async { Ok(()) });
        assert!(matches!(e, Err(PluginError::UnknownHook { .. })));
        assert!(hooks::ALL.contains(&"payment.after_complete"));
        assert!(hooks::is_before(hooks::CHECKOUT_BEFORE));
        assert!(!hooks::is_before(hooks::CHECKOUT_AFTER_FAILED));
    }
}

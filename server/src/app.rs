//! The assembled application: configuration, pool, schema and metrics, shared by every
//! request handler.

use std::sync::Arc;

use secrecy::SecretString;
use stoa_db::ipnetwork::IpNetwork;
use stoa_db::{Pool, PoolSettings};
use stoa_resolvers::domain::auth::AuthSettings;
use stoa_resolvers::domain::auth::tokens::TokenCodec;
use stoa_resolvers::domain::secrets::ConfigCipher;
use stoa_resolvers::{AppState, GraphqlLimits, I18nSettings};

use crate::plugins::Extensions;
use crate::schema::{StoaSchema, build_schema};

use crate::config::{Config, ConfigError};
use crate::http::metrics::Metrics;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub schema: StoaSchema,
    pub state: AppState,
    /// The REST rows, MCP tools and plugin routers (core plus plugins).
    pub extensions: Arc<Extensions>,
    pub metrics: Arc<Metrics>,
    pub trusted_proxies: Arc<Vec<IpNetwork>>,
    /// The storefront response cache.
    pub cache: Arc<crate::http::cache::ResponseCache>,
    /// SQL statements run by the pool (when the pool counts them), for `/metrics`.
    pub statements: Option<Arc<std::sync::atomic::AtomicU64>>,
}

/// The pool settings the configuration asks for, against `url`.
pub fn pool_settings(config: &Config, url: &str) -> PoolSettings {
    let mut s = PoolSettings::new(url);
    s.max_size = config.database.max_open_conns;
    s.wait_timeout = config.database.wait_timeout;
    s.statement_timeout = config.database.statement_timeout;
    s.application_name = config.database.application_name.clone();
    s.statement_counter = Some(Arc::new(std::sync::atomic::AtomicU64::new(0)));
    s
}

impl App {
    /// Reports the pool's statement counter on `/metrics`.
    pub fn with_statement_counter(
        mut self,
        counter: Option<Arc<std::sync::atomic::AtomicU64>>,
    ) -> Self {
        self.statements = counter;
        self
    }

    /// Builds the application from a validated configuration and a pool, with the plugins
    /// compiled into the binary ([`crate::plugins::builtin`]).
    pub fn new(config: Config, pool: Pool) -> Result<Self, ConfigError> {
        Self::with_plugins(config, pool, crate::plugins::builtin())
    }

    /// Builds the application with the given plugins (started here, in order) and the
    /// built-in plugins' REST rows, MCP tools and routes.
    pub fn with_plugins(
        config: Config,
        pool: Pool,
        plugins: Vec<Arc<dyn stoa_plugin_sdk::Plugin>>,
    ) -> Result<Self, ConfigError> {
        let extensions =
            Extensions::builtin().map_err(|e| ConfigError::Load(format!("plugins: {e}")))?;
        Self::with_extensions(config, pool, plugins, extensions)
    }

    /// Builds the application with the given plugins and contributions.
    pub fn with_extensions(
        config: Config,
        pool: Pool,
        plugins: Vec<Arc<dyn stoa_plugin_sdk::Plugin>>,
        extensions: Extensions,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let plugins = stoa_plugin_sdk::Plugins::start(plugins, &config.plugins, Some(pool.clone()))
            .map_err(|e| ConfigError::Load(format!("plugins: {e}")))?;
        let secret = config.auth.jwt_secret.clone().unwrap_or_default();
        let auth = AuthSettings {
            codec: TokenCodec::new(SecretString::from(secret)),
            access_ttl: config.auth.access_token_ttl,
            refresh_ttl: config.auth.refresh_token_ttl,
            max_attempts: i32::try_from(config.security.brute_force.max_attempts).unwrap_or(5),
            lock_duration: config.security.brute_force.lock_duration,
        };
        let media = crate::media::storage(&config.media)?;
        let key = config
            .payment
            .encryption_key
            .as_deref()
            .and_then(crate::config::decode_encryption_key)
            .ok_or_else(|| ConfigError::Invalid {
                key: "payment.encryption_key",
                reason: "must be 32 raw bytes or 64 hex characters".into(),
            })?;
        let state = AppState {
            pool,
            media,
            payment_cipher: Arc::new(ConfigCipher::new(key)),
            plugins,
            events: Arc::new(stoa_resolvers::events::EventBus::default()),
            auth,
            i18n: I18nSettings {
                default_locale: config.i18n.default_locale.clone(),
                available_locales: config.i18n.available_locales.clone(),
            },
        };
        let limits = GraphqlLimits {
            max_depth: config.graphql.max_depth,
            max_complexity: config.graphql.max_complexity,
            introspection: config.graphql.introspection,
        };
        let schema = build_schema(state.clone(), limits);
        let metrics =
            Arc::new(Metrics::new().map_err(|e| ConfigError::Load(format!("metrics: {e}")))?);
        let trusted_proxies = Arc::new(config.trusted_proxies());
        let cache = Arc::new(crate::http::cache::ResponseCache::new(
            config.cache.enabled,
            config.cache.max_mb.saturating_mul(1024 * 1024),
            config.cache.ttl,
        ));
        Ok(Self {
            config: Arc::new(config),
            schema,
            state,
            extensions: Arc::new(extensions),
            metrics,
            trusted_proxies,
            cache,
            statements: None,
        })
    }
}

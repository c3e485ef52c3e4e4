//! Typed configuration: `config.yaml` (or `-c FILE`) overlaid by `STOA_*` environment
//! variables, with the reference's key names and defaults. Loaded once, validated at startup.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Yaml};
use serde::{Deserialize, Serialize};

/// Why the configuration was refused; the message names the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(String),
    #[error("configuration key `{key}`: {reason}")]
    Invalid { key: &'static str, reason: String },
}

fn invalid(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.into(),
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub payment: PaymentConfig,
    pub i18n: I18nConfig,
    pub security: SecurityConfig,
    pub media: MediaConfig,
    pub search: SearchConfig,
    pub graphql: GraphqlConfig,
    pub cache: CacheConfig,
    pub log: LogConfig,
    /// Where the embedded database and generated secrets live (`./data`).
    pub data_dir: PathBuf,
    /// Passed verbatim to plugins.
    pub plugins: BTreeMap<String, serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            payment: PaymentConfig::default(),
            i18n: I18nConfig::default(),
            security: SecurityConfig::default(),
            media: MediaConfig::default(),
            search: SearchConfig::default(),
            graphql: GraphqlConfig::default(),
            cache: CacheConfig::default(),
            log: LogConfig::default(),
            data_dir: PathBuf::from("./data"),
            plugins: BTreeMap::new(),
        }
    }
}

/// `server.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    #[serde(with = "humantime_serde")]
    pub read_timeout: Duration,
    #[serde(with = "humantime_serde")]
    pub write_timeout: Duration,
    pub max_body_size: usize,
    pub max_upload_size: usize,
    pub cors: CorsConfig,
    /// Proxies (IPs or CIDRs) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    #[serde(with = "humantime_serde")]
    pub shutdown_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            host: "0.0.0.0".into(),
            port: 8080,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_body_size: 1 << 20,
            max_upload_size: 35 << 20,
            cors: CorsConfig::default(),
            trusted_proxies: Vec::new(),
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

/// `server.cors.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CorsConfig {
    pub allowed_origins: Vec<String>,
    pub allowed_methods: Vec<String>,
}

impl Default for CorsConfig {
    fn default() -> Self {
        Self {
            allowed_origins: vec!["http://localhost:5173".into()],
            allowed_methods: ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// `database.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// A PostgreSQL URL; unset means the embedded cluster under `data_dir/postgres`.
    pub url: Option<String>,
    pub max_open_conns: usize,
    pub max_idle_conns: usize,
    #[serde(with = "humantime_serde")]
    pub conn_max_lifetime: Duration,
    /// How long a request waits for a free connection before it gets 503.
    #[serde(with = "humantime_serde")]
    pub wait_timeout: Duration,
    #[serde(with = "humantime_serde")]
    pub statement_timeout: Duration,
    pub application_name: String,
    /// Folder of `initdb`/`pg_ctl` for the embedded cluster (found automatically when unset).
    pub postgres_bin_dir: Option<PathBuf>,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            max_open_conns: 25,
            max_idle_conns: 5,
            conn_max_lifetime: Duration::from_secs(300),
            wait_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(30),
            application_name: "stoa".into(),
            postgres_bin_dir: None,
        }
    }
}

/// `auth.*`
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    pub jwt_secret: Option<String>,
    #[serde(with = "humantime_serde")]
    pub access_token_ttl: Duration,
    #[serde(with = "humantime_serde")]
    pub refresh_token_ttl: Duration,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "**redacted**"),
            )
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .finish()
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(168 * 3600),
        }
    }
}

/// `payment.*`
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentConfig {
    /// 32 raw bytes or 64 hex characters (AES-256-GCM for payment method configs).
    pub encryption_key: Option<String>,
}

impl std::fmt::Debug for PaymentConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentConfig")
            .field(
                "encryption_key",
                &self.encryption_key.as_ref().map(|_| "**redacted**"),
            )
            .finish()
    }
}

/// `i18n.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct I18nConfig {
    pub default_locale: String,
    pub available_locales: Vec<String>,
}

impl Default for I18nConfig {
    fn default() -> Self {
        Self {
            default_locale: "de-DE".into(),
            available_locales: vec!["de-DE".into(), "en-US".into()],
        }
    }
}

/// `security.*`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    pub rate_limit: RateLimitConfig,
    /// Unused (passwords use Argon2id); accepted for compatibility.
    pub bcrypt_cost: Option<u32>,
    pub brute_force: BruteForceConfig,
    pub csrf: CsrfConfig,
}

/// `security.rate_limit.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    pub requests_per_minute: u32,
    pub burst: u32,
    pub login: RouteLimit,
    pub register: RouteLimit,
    pub checkout: RouteLimit,
    pub guest_order: RouteLimit,
    pub search: RouteLimit,
}

/// One per-route limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteLimit {
    pub requests_per_minute: u32,
}

impl Default for RouteLimit {
    fn default() -> Self {
        Self {
            requests_per_minute: 60,
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        let l = |n| RouteLimit {
            requests_per_minute: n,
        };
        Self {
            requests_per_minute: 300,
            burst: 50,
            login: l(10),
            register: l(5),
            checkout: l(10),
            guest_order: l(10),
            search: l(60),
        }
    }
}

/// `security.brute_force.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BruteForceConfig {
    pub max_attempts: u32,
    #[serde(with = "humantime_serde")]
    pub lock_duration: Duration,
}

impl Default for BruteForceConfig {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            lock_duration: Duration::from_secs(3600),
        }
    }
}

/// `security.csrf.*`
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsrfConfig {
    pub secure: bool,
}

/// `media.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    pub storage: String,
    pub local_path: PathBuf,
    pub s3: S3Config,
}

impl Default for MediaConfig {
    fn default() -> Self {
        Self {
            storage: "local".into(),
            local_path: PathBuf::from("./uploads"),
            s3: S3Config::default(),
        }
    }
}

/// `media.s3.*`
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    pub endpoint: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// `search.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    pub engine: String,
}

impl Default for SearchConfig {
    fn default() -> Self {
        Self {
            engine: "postgres".into(),
        }
    }
}

/// `graphql.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphqlConfig {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub introspection: bool,
    pub graphiql: bool,
}

impl Default for GraphqlConfig {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 2000,
            introspection: true,
            graphiql: true,
        }
    }
}

/// `cache.*`: the storefront response cache (anonymous catalog reads).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    pub enabled: bool,
    /// Memory for cached responses, in MiB.
    pub max_mb: u64,
    /// The longest an entry is served (changes invalidate it at once).
    #[serde(with = "humantime_serde")]
    pub ttl: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_mb: 64,
            ttl: Duration::from_secs(300),
        }
    }
}

/// `log.*`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// An `EnvFilter` directive (`info`, `stoa=debug,tower_http=info`); `RUST_LOG` wins.
    pub level: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

/// Every dotted key of the configuration (from the defaults), so that `STOA_A_B_C` can be
/// mapped to the key whose dots became underscores.
fn known_keys() -> Vec<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        if let serde_json::Value::Object(m) = v {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                walk(&key, v, out);
                out.push(key);
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(Config::default()) {
        walk("", &v, &mut out);
    }
    out
}

/// The environment variable of a key (`auth.jwt_secret` → `STOA_AUTH_JWT_SECRET`).
pub fn env_name(key: &str) -> String {
    format!("STOA_{}", key.replace('.', "_").to_uppercase())
}

impl Config {
    /// Loads defaults, then the YAML file (the given one must exist; `./config.yaml` is used
    /// when present), then `STOA_*` variables. Does not validate.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match path {
            Some(p) if !p.exists() => {
                return Err(ConfigError::Load(format!("file {} not found", p.display())));
            }
            Some(p) => fig = fig.merge(Yaml::file_exact(p)),
            None if Path::new("config.yaml").exists() => {
                fig = fig.merge(Yaml::file_exact("config.yaml"))
            }
            None => {}
        }
        let map: HashMap<String, String> = known_keys()
            .into_iter()
            .map(|k| (k.replace('.', "_").to_uppercase(), k))
            .collect();
        let env = Env::prefixed("STOA_").filter_map(move |k| {
            map.get(&k.as_str().to_uppercase())
                .map(|dotted| dotted.clone().into())
        });
        fig.merge(env).extract().map_err(|e| {
            let key = e
                .path
                .iter()
                .map(|p| p.to_lowercase())
                .collect::<Vec<_>>()
                .join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if key.is_empty() {
                ConfigError::Load(format!("{}{source}", e.kind))
            } else {
                ConfigError::Load(format!("key `{key}`: {}{source}", e.kind))
            }
        })
    }

    /// True when no database is configured: the embedded cluster is used and missing secrets
    /// are generated.
    pub fn zero_config(&self) -> bool {
        self.database.url.is_none()
    }

    /// Checks every rule; the error names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match &self.auth.jwt_secret {
            None => {
                return Err(invalid(
                    "auth.jwt_secret",
                    "is required (set STOA_AUTH_JWT_SECRET; at least 32 bytes)",
                ));
            }
            Some(s) if s == "change-me-in-production" => {
                return Err(invalid(
                    "auth.jwt_secret",
                    "still has the example value; set a random secret of at least 32 bytes",
                ));
            }
            Some(s) if s.len() < 32 => {
                return Err(invalid("auth.jwt_secret", "must be at least 32 bytes"));
            }
            Some(_) => {}
        }
        match &self.payment.encryption_key {
            None => {
                return Err(invalid(
                    "payment.encryption_key",
                    "is required (32 raw bytes or 64 hex characters)",
                ));
            }
            Some(k) if decode_encryption_key(k).is_none() => {
                return Err(invalid(
                    "payment.encryption_key",
                    "must be 32 raw bytes or 64 hex characters",
                ));
            }
            Some(_) => {}
        }
        if self
            .server
            .cors
            .allowed_origins
            .iter()
            .any(|o| o.trim() == "*")
        {
            return Err(invalid(
                "server.cors.allowed_origins",
                "`*` is not allowed with credentials; list the origins",
            ));
        }
        if self.server.max_body_size == 0 {
            return Err(invalid("server.max_body_size", "must be greater than zero"));
        }
        if self.auth.access_token_ttl.as_secs() < 60 {
            return Err(invalid("auth.access_token_ttl", "must be at least 1m"));
        }
        if self.auth.refresh_token_ttl <= self.auth.access_token_ttl {
            return Err(invalid(
                "auth.refresh_token_ttl",
                "must be longer than auth.access_token_ttl",
            ));
        }
        if self.database.max_open_conns == 0 {
            return Err(invalid(
                "database.max_open_conns",
                "must be greater than zero",
            ));
        }
        if !self
            .i18n
            .available_locales
            .contains(&self.i18n.default_locale)
        {
            return Err(invalid(
                "i18n.default_locale",
                "must be one of i18n.available_locales",
            ));
        }
        if self.security.brute_force.max_attempts == 0 {
            return Err(invalid(
                "security.brute_force.max_attempts",
                "must be greater than zero",
            ));
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(invalid("log.format", "must be `text` or `json`"));
        }
        if !matches!(self.media.storage.as_str(), "local" | "s3") {
            return Err(invalid("media.storage", "must be `local` or `s3`"));
        }
        if self.media.storage == "s3" {
            if self.media.s3.bucket.trim().is_empty() {
                return Err(invalid(
                    "media.s3.bucket",
                    "is required when media.storage is s3",
                ));
            }
            if self.media.s3.endpoint.trim().is_empty() && self.media.s3.region.trim().is_empty() {
                return Err(invalid(
                    "media.s3.region",
                    "is required when media.storage is s3 and no media.s3.endpoint is set",
                ));
            }
            if self.media.s3.access_key_id.is_empty() != self.media.s3.secret_access_key.is_empty()
            {
                return Err(invalid(
                    "media.s3.secret_access_key",
                    "media.s3.access_key_id and media.s3.secret_access_key go together",
                ));
            }
        }
        if self.server.max_upload_size == 0 {
            return Err(invalid(
                "server.max_upload_size",
                "must be greater than zero",
            ));
        }
        for p in &self.server.trusted_proxies {
            if p.parse::<stoa_db::ipnetwork::IpNetwork>().is_err() {
                return Err(invalid(
                    "server.trusted_proxies",
                    format!("`{p}` is not an IP address or CIDR"),
                ));
            }
        }
        if self.graphql.max_depth == 0 || self.graphql.max_complexity == 0 {
            return Err(invalid(
                "graphql.max_depth",
                "limits must be greater than zero",
            ));
        }
        if self.cache.enabled && (self.cache.max_mb == 0 || self.cache.ttl.is_zero()) {
            return Err(invalid(
                "cache.max_mb",
                "the cache needs memory and a ttl greater than zero (or cache.enabled: false)",
            ));
        }
        Ok(())
    }

    /// The trusted proxy networks.
    pub fn trusted_proxies(&self) -> Vec<stoa_db::ipnetwork::IpNetwork> {
        self.server
            .trusted_proxies
            .iter()
            .filter_map(|p| p.parse().ok())
            .collect()
    }
}

/// Decodes `payment.encryption_key`: 64 hex characters or 32 raw bytes.
pub fn decode_encryption_key(k: &str) -> Option<[u8; 32]> {
    if k.len() == 64
        && let Ok(b) = hex::decode(k)
    {
        return b.try_into().ok();
    }
    k.as_bytes().try_into().ok()
}

/// Secrets generated for the zero-config run, kept in `data_dir/secrets.json`.
#[derive(Serialize, Deserialize)]
struct GeneratedSecrets {
    jwt_secret: String,
    encryption_key: String,
}

fn random_hex(bytes: usize) -> Result<String, ConfigError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| ConfigError::Load(format!("no randomness: {e}")))?;
    Ok(hex::encode(b))
}

/// Fills missing secrets in the zero-config run from `data_dir/secrets.json`, generating
/// that file once (mode 0600) so that a restart keeps sessions valid.
pub fn fill_generated_secrets(cfg: &mut Config) -> Result<(), ConfigError> {
    if cfg.auth.jwt_secret.is_some() && cfg.payment.encryption_key.is_some() {
        return Ok(());
    }
    let path = cfg.data_dir.join("secrets.json");
    let secrets = if path.exists() {
        let raw = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError::Load(format!("{}: {e}", path.display())))?;
        serde_json::from_str::<GeneratedSecrets>(&raw)
            .map_err(|e| ConfigError::Load(format!("{}: {e}", path.display())))?
    } else {
        std::fs::create_dir_all(&cfg.data_dir)
            .map_err(|e| ConfigError::Load(format!("{}: {e}", cfg.data_dir.display())))?;
        let s = GeneratedSecrets {
            jwt_secret: random_hex(48)?,
            encryption_key: random_hex(32)?,
        };
        let body =
            serde_json::to_string_pretty(&s).map_err(|e| ConfigError::Load(e.to_string()))?;
        write_private(&path, &body)
            .map_err(|e| ConfigError::Load(format!("{}: {e}", path.display())))?;
        tracing::warn!(
            path = %path.display(),
            "generated auth.jwt_secret and payment.encryption_key for this zero-config run; they are kept in this file so that restarts keep sessions valid. Set them explicitly in production"
        );
        s
    };
    if cfg.auth.jwt_secret.is_none() {
        cfg.auth.jwt_secret = Some(secrets.jwt_secret);
    }
    if cfg.payment.encryption_key.is_none() {
        cfg.payment.encryption_key = Some(secrets.encryption_key);
    }
    Ok(())
}

fn write_private(path: &Path, body: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(body.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Config {
        let mut c = Config::default();
        c.auth.jwt_secret = Some("x".repeat(40));
        c.payment.encryption_key = Some("ab".repeat(32));
        c
    }

    #[test]
    fn defaults_match_the_reference() {
        let c = Config::default();
        assert_eq!(c.server.port, 8080);
        assert_eq!(c.auth.access_token_ttl, Duration::from_secs(900));
        assert_eq!(c.security.rate_limit.login.requests_per_minute, 10);
        assert_eq!(c.security.rate_limit.register.requests_per_minute, 5);
        assert_eq!(c.security.brute_force.max_attempts, 5);
        assert_eq!(c.i18n.default_locale, "de-DE");
        assert!(valid().validate().is_ok());
    }

    #[test]
    fn weak_or_missing_secrets_name_the_key() {
        let mut c = valid();
        c.auth.jwt_secret = Some("change-me-in-production".into());
        assert!(
            c.validate()
                .expect_err("weak")
                .to_string()
                .contains("auth.jwt_secret")
        );
        c.auth.jwt_secret = Some("short".into());
        assert!(
            c.validate()
                .expect_err("short")
                .to_string()
                .contains("auth.jwt_secret")
        );
        let mut c = valid();
        c.payment.encryption_key = Some("nope".into());
        assert!(
            c.validate()
                .expect_err("key")
                .to_string()
                .contains("payment.encryption_key")
        );
        let mut c = valid();
        c.server.cors.allowed_origins = vec!["*".into()];
        assert!(
            c.validate()
                .expect_err("cors")
                .to_string()
                .contains("server.cors.allowed_origins")
        );
    }

    #[test]
    fn env_names_follow_the_reference() {
        assert_eq!(env_name("auth.jwt_secret"), "STOA_AUTH_JWT_SECRET");
        assert_eq!(
            env_name("security.rate_limit.checkout.requests_per_minute"),
            "STOA_SECURITY_RATE_LIMIT_CHECKOUT_REQUESTS_PER_MINUTE"
        );
        let keys = known_keys();
        assert!(keys.contains(&"database.url".to_owned()));
        assert!(keys.contains(&"security.brute_force.max_attempts".to_owned()));
    }

    #[test]
    fn encryption_key_forms() {
        assert!(decode_encryption_key(&"0f".repeat(32)).is_some());
        assert!(decode_encryption_key("abcdefghijklmnopqrstuvwxyz012345").is_some());
        assert!(decode_encryption_key("short").is_none());
    }
}

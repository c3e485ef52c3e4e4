//! The command line: `stoa serve | migrate up|down|status | admin create | schema print | version`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use crate::app::{App, pool_settings};
use crate::config::{Config, fill_generated_secrets};
use crate::database::Database;
use crate::telemetry;

/// Stoa: a headless commerce backend, GraphQL-first.
#[derive(Parser, Debug)]
#[command(name = "stoa", version, about)]
pub struct Cli {
    /// Configuration file (default: ./config.yaml when present).
    #[arg(short, long, global = true, env = "STOA_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Runs the HTTP server (GraphQL, health, metrics).
    Serve(ServeArgs),
    /// Applies or reverts database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Manages staff accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Prints contracts.
    Schema {
        #[command(subcommand)]
        action: SchemaAction,
    },
    /// Runs an MCP server over stdio (the HTTP transport is part of `serve`).
    Mcp {
        #[arg(value_enum)]
        server: crate::mcp::McpServerKind,
        /// Serve over standard input/output.
        #[arg(long)]
        stdio: bool,
    },
    /// Loads data.
    Seed(SeedArgs),
    /// Imports data from files.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Prints the REST layer's OpenAPI document.
    Openapi {
        #[command(subcommand)]
        action: OpenapiAction,
    },
    /// Lists the plugins compiled into this binary.
    Plugin {
        #[command(subcommand)]
        action: PluginAction,
    },
    /// Prints the version.
    Version,
}

/// `stoa serve` options.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Apply pending migrations first (always done in the zero-config run).
    #[arg(long)]
    pub migrate: bool,
}

/// `stoa seed` options.
#[derive(Args, Debug)]
pub struct SeedArgs {
    /// The reference demo data set (refused when products exist).
    #[arg(long)]
    pub demo: bool,
    /// Adds N generated products (variants, translations, media, categories, stock) for benchmarks.
    #[arg(long, value_name = "N")]
    pub products: Option<i64>,
}

/// `stoa import …`
#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Creates or updates products from a CSV file (the format of
    /// `GET /api/v1/admin/products/import/template`); exits non-zero when a product failed.
    Products {
        /// The CSV file.
        file: PathBuf,
    },
}

/// `stoa migrate …`
#[derive(Subcommand, Debug)]
pub enum MigrateAction {
    /// Applies every pending migration: the core's, then each built-in plugin's.
    Up,
    /// Reverts the most recently applied migration (core or plugin).
    Down,
    /// Lists migrations (version, owner) and whether they are applied.
    Status,
}

/// `stoa admin …`
#[derive(Subcommand, Debug)]
pub enum AdminAction {
    /// Creates a staff user (super_admin unless --role says otherwise).
    Create(AdminCreateArgs),
}

/// `stoa admin create` options.
#[derive(Args, Debug)]
pub struct AdminCreateArgs {
    #[arg(long)]
    pub email: String,
    /// Read the password from standard input (one line).
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,
    /// The password on the command line (visible to other users; prefer the prompt).
    #[arg(long)]
    pub password: Option<String>,
    #[arg(long, default_value = "super_admin", value_parser = ["super_admin", "admin", "manager"])]
    pub role: String,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
}

/// `stoa schema …`
#[derive(Subcommand, Debug)]
pub enum SchemaAction {
    /// Prints the GraphQL SDL (as in schema/schema.graphql).
    Print,
}

/// `stoa plugin …`
#[derive(Subcommand, Debug)]
pub enum PluginAction {
    /// Name, version, whether `plugins.<name>` configures it, and description of each plugin.
    List,
}

/// `stoa openapi …`
#[derive(Subcommand, Debug)]
pub enum OpenapiAction {
    /// Prints the OpenAPI 3.1 document of the REST layer (as in schema/openapi.json).
    Print,
}

/// Loads and validates the configuration and starts logging (before secrets are generated,
/// so that their creation is logged).
fn load_config(path: Option<&std::path::Path>) -> Result<Config> {
    let mut cfg = Config::load(path)?;
    telemetry::init(&cfg.log);
    if cfg.zero_config() {
        fill_generated_secrets(&mut cfg)?;
    }
    cfg.validate()?;
    Ok(cfg)
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Version => {
            println!("stoa {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Plugin {
            action: PluginAction::List,
        } => {
            // No secrets or database needed to list.
            let cfg = Config::load(cli.config.as_deref())?;
            print!("{}", crate::plugins::list(&cfg));
            Ok(())
        }
        Command::Seed(args) => {
            let cfg = load_config(cli.config.as_deref())?;
            if !args.demo && args.products.is_none() {
                bail!("nothing to seed: pass --demo and/or --products N");
            }
            let db = Database::open(&cfg).await?;
            let result = async {
                if cfg.zero_config() {
                    crate::database::migrate_up(&db.url).await?;
                }
                if args.demo {
                    seed_demo(&db.url, true).await?;
                }
                if let Some(n) = args.products {
                    let mut conn = stoa_db::pool::establish(&db.url).await?;
                    let added = stoa_db::seed::generate_products(&mut conn, n).await?;
                    println!("added {added} generated products");
                }
                Ok(())
            }
            .await;
            db.close().await?;
            result
        }
        Command::Import {
            what: ImportWhat::Products { file },
        } => {
            let cfg = load_config(cli.config.as_deref())?;
            crate::import::run_cli(cfg, &file).await
        }
        Command::Openapi {
            action: OpenapiAction::Print,
        } => {
            print!("{}", crate::rest::openapi_json().await?);
            Ok(())
        }
        Command::Schema {
            action: SchemaAction::Print,
        } => {
            print!("{}", crate::schema::sdl());
            Ok(())
        }
        Command::Mcp { server, stdio } => {
            let cfg = load_config(cli.config.as_deref())?;
            crate::mcp::run_cli(cfg, server, stdio).await
        }
        Command::Serve(args) => {
            let cfg = load_config(cli.config.as_deref())?;
            serve(cfg, args).await
        }
        Command::Migrate { action } => {
            let cfg = load_config(cli.config.as_deref())?;
            let db = Database::open(&cfg).await?;
            let result = migrate(&db.url, action).await;
            db.close().await?;
            result
        }
        Command::Admin {
            action: AdminAction::Create(args),
        } => {
            let cfg = load_config(cli.config.as_deref())?;
            let password = read_password(&args)?;
            let db = Database::open(&cfg).await?;
            let result = async {
                if cfg.zero_config() {
                    crate::database::migrate_up(&db.url).await?;
                }
                create_admin(&db.url, &args, password).await
            }
            .await;
            db.close().await?;
            result
        }
    }
}

async fn migrate(url: &str, action: MigrateAction) -> Result<()> {
    match action {
        MigrateAction::Up => {
            let done = crate::database::migrate_up(url).await?;
            if done.is_empty() {
                println!("no pending migrations");
            }
            for v in done {
                println!("applied {v}");
            }
        }
        MigrateAction::Down => match crate::database::migrate_down(url).await? {
            Some((owner, v)) => println!("reverted {v} ({owner})"),
            None => println!("no applied migrations"),
        },
        MigrateAction::Status => {
            for m in crate::database::migration_status(url).await? {
                println!(
                    "{} {} {}",
                    if m.applied { "applied" } else { "pending" },
                    m.version,
                    m.owner
                );
            }
        }
    }
    Ok(())
}

fn read_password(args: &AdminCreateArgs) -> Result<String> {
    if let Some(p) = &args.password {
        eprintln!(
            "warning: --password is visible to other users and in shell history; prefer the prompt or --password-stdin"
        );
        return Ok(p.clone());
    }
    if args.password_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat password: ")?;
    if first != second {
        bail!("the passwords do not match");
    }
    Ok(first)
}

async fn create_admin(url: &str, args: &AdminCreateArgs, password: String) -> Result<()> {
    use stoa_resolvers::domain::auth::{password as pw, service};
    let email = service::normalize_email(&args.email);
    service::validate_email(&email, "email")
        .map_err(|e| anyhow::anyhow!("--email: {}", e.message))?;
    pw::validate_new(&password, "password")
        .map_err(|e| anyhow::anyhow!("password: {}", e.message))?;
    let hash = pw::hash(password)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let mut conn = stoa_db::pool::establish(url).await?;
    let new = stoa_db::models::NewAdminUser {
        id: uuid::Uuid::now_v7(),
        email: &email,
        password_hash: &hash,
        first_name: args.first_name.as_deref(),
        last_name: args.last_name.as_deref(),
        role: &args.role,
    };
    match stoa_db::models::AdminUser::create(&mut conn, new).await {
        Ok(u) => {
            println!("created {} {} ({})", u.role, u.email, u.id);
            Ok(())
        }
        Err(stoa_db::DbError::Conflict { .. }) => {
            bail!("a staff user with email {email} already exists")
        }
        Err(e) => Err(e.into()),
    }
}

/// Loads the demo data set with a progress bar (`show`), or says it is already there.
async fn seed_demo(url: &str, show: bool) -> Result<()> {
    let steps = stoa_db::seed::demo_steps().len();
    let bar = if show {
        indicatif::ProgressBar::new(steps as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut conn = stoa_db::pool::establish(url).await?;
    let progress = |name: &str| {
        bar.set_message(name.to_owned());
        bar.inc(1);
    };
    let seeded = stoa_db::seed::seed_demo(&mut conn, &progress).await?;
    bar.finish_and_clear();
    if seeded {
        tracing::info!("demo data loaded");
        if show {
            println!("demo data loaded ({steps} steps)");
        }
    } else if show {
        println!("products exist already; demo data not loaded");
    }
    Ok(())
}

/// Runs the server until SIGINT/SIGTERM, then drains and stops the embedded cluster.
pub async fn serve(cfg: Config, args: ServeArgs) -> Result<()> {
    let db = Database::open(&cfg).await?;
    let result = serve_on(&cfg, &db, args.migrate || cfg.zero_config()).await;
    db.close().await?;
    result
}

async fn serve_on(cfg: &Config, db: &Database, migrate: bool) -> Result<()> {
    if migrate {
        let applied = crate::database::migrate_up(&db.url).await?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "migrations applied");
        }
    }
    if cfg.zero_config() {
        // The zero-config run seeds the demo catalog on first start.
        seed_demo(&db.url, false).await?;
    }
    let settings = pool_settings(cfg, &db.url);
    let pool = stoa_db::pool::build_pool(&settings)?;
    let app =
        App::new(cfg.clone(), pool)?.with_statement_counter(settings.statement_counter.clone());
    seal_payment_configs(&app).await?;
    let addr = format!("{}:{}", cfg.server.host, cfg.server.port);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("binding {addr} (server.host/server.port)"))?;
    tracing::info!(addr = %listener.local_addr()?, embedded_db = db.embedded.is_some(), "stoa listening");
    let shutdown = CancellationToken::new();
    tokio::spawn(housekeeping(app.state.pool.clone(), shutdown.child_token()));
    let trigger = shutdown.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        trigger.cancel();
    });
    crate::http::serve(listener, app, shutdown).await?;
    Ok(())
}

/// Encrypts payment method configurations still stored as plaintext (written by SQL or a
/// seed) before the server takes requests.
pub async fn seal_payment_configs(app: &App) -> Result<()> {
    let mut conn = stoa_db::pool::conn(&app.state.pool).await?;
    let report = stoa_resolvers::domain::secrets::seal_plaintext_configs(
        &mut conn,
        &app.state.payment_cipher,
    )
    .await?;
    if report.sealed > 0 {
        tracing::info!(
            count = report.sealed,
            "plaintext payment method configurations encrypted"
        );
    }
    Ok(())
}

/// Deletes expired refresh tokens and revocations every hour (the reference never does).
async fn housekeeping(pool: stoa_db::Pool, stop: CancellationToken) {
    use stoa_db::models::{RefreshToken, RevokedAccessToken};
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = every.tick() => {}
        }
        let Ok(mut c) = stoa_db::pool::conn(&pool).await else {
            continue;
        };
        let now = chrono::Utc::now();
        let refresh = RefreshToken::purge_expired(&mut c, now).await.unwrap_or(0);
        let revoked = RevokedAccessToken::purge_expired(&mut c, now)
            .await
            .unwrap_or(0);
        tracing::debug!(refresh, revoked, "expired auth state purged");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

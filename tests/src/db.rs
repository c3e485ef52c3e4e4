//! Test databases: one server per run (`TEST_DATABASE_URL`, else an embedded cluster under
//! `$TMPDIR/stoa-test-pg-*`, or `STOA_TEST_PG_DIR`), a template migrated once per migration set
//! (the core's and the built-in plugins' migrations), and a
//! `CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY` per test, dropped `WITH (FORCE)`.

use std::path::PathBuf;
use std::sync::OnceLock;

use diesel_async::RunQueryDsl;

/// Where the server is and which template to copy.
#[derive(Debug, Clone)]
struct Server {
    /// A URL or key/value string with a `{db}` placeholder for the database name.
    pattern: String,
    template: String,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A digest of every migration file (the core's and the plugins'), so that a changed
/// migration gets a new template.
fn migrations_fingerprint() -> String {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![workspace_root().join("migrations")];
    for plugin in std::fs::read_dir(workspace_root().join("plugins"))
        .into_iter()
        .flatten()
        .flatten()
    {
        stack.push(plugin.path().join("migrations"));
    }
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        let bytes = [
            f.to_string_lossy().as_bytes().to_vec(),
            std::fs::read(&f).unwrap_or_default(),
        ]
        .concat();
        for b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Turns a server URL into a pattern with `{db}` in place of the database name.
fn to_pattern(url: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (base, query) = url
            .split_once('?')
            .map_or((url, None), |(b, q)| (b, Some(q)));
        let scheme_end = base.find("://").map_or(0, |i| i + 3);
        let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end);
        let host = path_start.map_or(base, |i| &base[..i]);
        match query {
            Some(q) => format!("{host}/{{db}}?{q}"),
            None => format!("{host}/{{db}}"),
        }
    } else {
        let kept: Vec<&str> = url
            .split_whitespace()
            .filter(|kv| !kv.starts_with("dbname="))
            .collect();
        format!("{} dbname={{db}}", kept.join(" "))
    }
}

fn init() -> Result<Server, String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let pattern = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => to_pattern(&url),
            _ => {
                // Test processes (nextest runs one per test) share one cluster: the first
                // starts it, under a file lock, the others reuse it.
                // The folder sits under the temp dir so that the `postgres` user (when tests
                // run as root) can reach it wherever the checkout is.
                let base = std::env::var_os("STOA_TEST_PG_DIR").map_or_else(
                    || {
                        std::env::temp_dir()
                            .join(format!("stoa-test-pg-{}", &migrations_fingerprint()[..4]))
                    },
                    PathBuf::from,
                );
                std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755));
                }
                let lock = std::fs::File::create(base.join("lock")).map_err(|e| e.to_string())?;
                lock.lock().map_err(|e| e.to_string())?;
                let dir = base.join("pg");
                let pg = stoa_server::embedded_pg::EmbeddedPostgres::start_with(
                    &dir,
                    None,
                    "-c fsync=off -c full_page_writes=off -c synchronous_commit=off",
                )
                .await
                .map_err(|e| format!("{e:#}"))?;
                let url = pg.url("postgres");
                pg.detach();
                to_pattern(&url)
            }
        };
        let template = format!("stoa_tpl_{}", migrations_fingerprint());
        build_template(&pattern, &template).await?;
        Ok(Server { pattern, template })
    })
}

async fn exec(url: &str, sql: &str) -> Result<(), String> {
    let mut c = stoa_db::pool::establish(url)
        .await
        .map_err(|e| e.to_string())?;
    diesel::sql_query(sql)
        .execute(&mut c)
        .await
        .map_err(|e| format!("{sql}: {e}"))?;
    Ok(())
}

async fn build_template(pattern: &str, template: &str) -> Result<(), String> {
    let admin = pattern.replace("{db}", "postgres");
    let mut c = stoa_db::pool::establish(&admin)
        .await
        .map_err(|e| format!("test database server: {e}"))?;
    diesel::sql_query("SELECT pg_advisory_lock(7152026)")
        .execute(&mut c)
        .await
        .map_err(|e| e.to_string())?;
    let result = async {
        let exists = stoa_db::pool::database_exists(&mut c, template)
            .await
            .map_err(|e| e.to_string())?;
        if exists {
            return Ok(());
        }
        let building = format!("{template}_building");
        exec(
            &admin,
            &format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
        )
        .await?;
        exec(&admin, &format!("CREATE DATABASE {building}")).await?;
        stoa_server::database::migrate_up(&pattern.replace("{db}", &building))
            .await
            .map_err(|e| format!("{e:#}"))?;
        exec(
            &admin,
            &format!("ALTER DATABASE {building} RENAME TO {template}"),
        )
        .await
    }
    .await;
    let _ = diesel::sql_query("SELECT pg_advisory_unlock(7152026)")
        .execute(&mut c)
        .await;
    result
}

fn server() -> Server {
    let s = SERVER.get_or_init(|| {
        std::thread::spawn(init)
            .join()
            .unwrap_or_else(|_| Err("init panicked".into()))
    });
    match s {
        Ok(s) => s.clone(),
        Err(e) => panic!("test database server unavailable: {e}"),
    }
}

/// A database of its own for one test, dropped with it.
pub struct TestDb {
    name: String,
    url: String,
    admin: String,
}

impl TestDb {
    /// Copies the template into a new database.
    pub async fn new() -> Self {
        let s = server();
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let admin = s.pattern.replace("{db}", "postgres");
        exec(
            &admin,
            &format!(
                "CREATE DATABASE {name} TEMPLATE {} STRATEGY FILE_COPY",
                s.template
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("creating test database: {e}"));
        Self {
            url: s.pattern.replace("{db}", &name),
            name,
            admin,
        }
    }

    /// The connection string of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The connection string as a `postgres://` URL (libpq form; a unix socket goes in
    /// `?host=`), for tools that accept only URLs.
    pub fn libpq_url(&self) -> String {
        match self
            .url
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix("host="))
        {
            Some(host) if !self.url.starts_with("postgres") => {
                format!("postgres://postgres@/{}?host={host}", self.name)
            }
            _ => self.url.clone(),
        }
    }

    /// A connection string for the same server, database `db`, through `host:port`.
    pub fn url_via(&self, host_port: &str) -> String {
        format!("postgres://postgres@{host_port}/{}", self.name)
    }

    /// The server's address: `Tcp(host:port)` or `Unix(socket folder)`.
    pub fn server_address(&self) -> crate::proxy::Upstream {
        crate::proxy::Upstream::from_url(&self.url)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let admin = self.admin.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let _ = rt.block_on(exec(&admin, &sql));
            }
        })
        .join();
    }
}

#[cfg(test)]
mod tests {
    use super::to_pattern;

    #[test]
    fn patterns() {
        assert_eq!(
            to_pattern("postgres://u@h:5432/postgres"),
            "postgres://u@h:5432/{db}"
        );
        assert_eq!(
            to_pattern("postgres://u@h:5432/x?sslmode=disable"),
            "postgres://u@h:5432/{db}?sslmode=disable"
        );
        assert_eq!(
            to_pattern("postgres://u@h:5432"),
            "postgres://u@h:5432/{db}"
        );
        assert_eq!(
            to_pattern("host=/tmp/pg user=postgres dbname=postgres"),
            "host=/tmp/pg user=postgres dbname={db}"
        );
    }
}

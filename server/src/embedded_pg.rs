//! The embedded default database: a private PostgreSQL cluster under `data_dir/postgres`,
//! made from the machine's PostgreSQL binaries, listening only on a unix socket inside that
//! folder. PostgreSQL refuses to run as root, so when Stoa runs as root the cluster belongs to
//! (and runs as) the `postgres` OS user.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

/// The binaries the cluster needs.
const NEEDED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// A running (or reused) embedded cluster.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    started_here: bool,
}

fn has_binaries(dir: &Path) -> bool {
    NEEDED.iter().all(|b| dir.join(b).is_file())
}

fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(o) = Command::new("pg_config").arg("--bindir").output()
        && o.status.success()
    {
        out.push(PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    }
    if let Some(path) = std::env::var_os("PATH") {
        out.extend(std::env::split_paths(&path));
    }
    // Debian/Ubuntu keep the server binaries off PATH, one folder per major version.
    let mut versioned: Vec<(u32, PathBuf)> = Vec::new();
    for root in [
        "/usr/lib/postgresql",
        "/usr/local/opt",
        "/opt/homebrew/opt",
        "/usr/pgsql",
    ] {
        if let Ok(rd) = std::fs::read_dir(root) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if root.ends_with("postgresql") || name.starts_with("postgresql") {
                    let v = name
                        .chars()
                        .filter(char::is_ascii_digit)
                        .collect::<String>()
                        .parse()
                        .unwrap_or(0);
                    versioned.push((v, e.path().join("bin")));
                }
            }
        }
    }
    versioned.sort_by_key(|v| std::cmp::Reverse(v.0));
    out.extend(versioned.into_iter().map(|(_, p)| p));
    out.extend(
        [
            "/opt/homebrew/bin",
            "/usr/local/bin",
            "/usr/local/pgsql/bin",
        ]
        .map(PathBuf::from),
    );
    out
}

/// Finds a folder holding `initdb`, `pg_ctl` and `postgres`.
pub fn find_bin_dir(configured: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = configured {
        if has_binaries(dir) {
            return Ok(dir.to_path_buf());
        }
        bail!(
            "database.postgres_bin_dir {} does not contain initdb, pg_ctl and postgres",
            dir.display()
        );
    }
    candidates().into_iter().find(|d| has_binaries(d)).ok_or_else(|| {
        anyhow!(
            "no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found via pg_config, PATH or the usual \
             package folders. Install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`; macOS: \
             `brew install postgresql@16`), set database.postgres_bin_dir to their folder, or point \
             database.url (STOA_DATABASE_URL) at an existing server"
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id_of(flag: &str, user: &str) -> Result<u32> {
    let o = Command::new("id")
        .args([flag, user])
        .output()
        .context("running `id`")?;
    if !o.status.success() {
        bail!(
            "Stoa runs as root and PostgreSQL refuses root, but there is no `{user}` OS user to run the embedded cluster as; create it (it comes with Debian's postgresql package) or run Stoa as a normal user"
        );
    }
    String::from_utf8_lossy(&o.stdout)
        .trim()
        .parse()
        .context("parsing `id` output")
}

/// As root the cluster runs as `postgres`, which must be able to walk down to the folder.
fn check_reachable_by_others(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for ancestor in dir.ancestors().skip(1) {
        let mode = std::fs::metadata(ancestor)?.permissions().mode();
        if mode & 0o001 == 0 {
            bail!(
                "the embedded PostgreSQL runs as the `postgres` user (Stoa runs as root), which cannot enter {}; \
                 set data_dir (STOA_DATA_DIR) to a folder it can reach, e.g. /var/lib/stoa, run Stoa as a normal \
                 user, or set database.url",
                ancestor.display()
            );
        }
    }
    Ok(())
}

impl EmbeddedPostgres {
    /// The folder of the cluster (also the socket folder).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn command(&self, bin: &str) -> Command {
        let mut c = Command::new(self.bin_dir.join(bin));
        if let Some((uid, gid)) = self.run_as {
            use std::os::unix::process::CommandExt;
            c.uid(uid).gid(gid);
        }
        c.env("LC_ALL", "C").env_remove("PGDATA");
        c
    }

    fn run(&self, mut cmd: Command, what: &str) -> Result<()> {
        let out = cmd.output().with_context(|| format!("running {what}"))?;
        if !out.status.success() {
            bail!(
                "{what} failed: {}{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                String::from_utf8_lossy(&out.stdout).trim()
            );
        }
        Ok(())
    }

    /// True when a postmaster serves this folder.
    pub fn is_running(&self) -> bool {
        let mut c = self.command("pg_ctl");
        c.arg("status").arg("-D").arg(&self.data_dir);
        c.output().is_ok_and(|o| o.status.success())
    }

    /// Initialises the cluster when needed and starts it unless it already runs.
    pub async fn start(data_dir: &Path, bin_dir: Option<&Path>) -> Result<Self> {
        Self::start_with(data_dir, bin_dir, "").await
    }

    /// Like [`Self::start`], with extra server options (`-c fsync=off` for test clusters).
    pub async fn start_with(
        data_dir: &Path,
        bin_dir: Option<&Path>,
        extra_options: &str,
    ) -> Result<Self> {
        let data_dir = data_dir.to_path_buf();
        let bin_dir = bin_dir.map(Path::to_path_buf);
        let extra = extra_options.to_owned();
        tokio::task::spawn_blocking(move || {
            Self::start_blocking(&data_dir, bin_dir.as_deref(), &extra)
        })
        .await
        .context("embedded PostgreSQL start task")?
    }

    fn start_blocking(data_dir: &Path, bin_dir: Option<&Path>, extra: &str) -> Result<Self> {
        let bin_dir = find_bin_dir(bin_dir)?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating {}", data_dir.display()))?;
        let data_dir = std::fs::canonicalize(data_dir)?;
        if data_dir.join(".s.PGSQL.5432").as_os_str().len() > 100 {
            bail!(
                "data_dir {} is too long for a unix socket path; use a shorter data_dir",
                data_dir.display()
            );
        }
        let run_as = if is_root() {
            Some((id_of("-u", "postgres")?, id_of("-g", "postgres")?))
        } else {
            None
        };
        if run_as.is_some() {
            check_reachable_by_others(&data_dir)?;
        }
        let mut me = Self {
            data_dir,
            bin_dir,
            run_as,
            started_here: false,
        };
        if !me.data_dir.join("PG_VERSION").exists() {
            tracing::info!(path = %me.data_dir.display(), "initialising the embedded PostgreSQL cluster");
            if let Some((uid, gid)) = run_as {
                let mut c = Command::new("chown");
                c.arg("-R").arg(format!("{uid}:{gid}")).arg(&me.data_dir);
                me.run(c, "chown of the embedded cluster folder")?;
            }
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&me.data_dir, std::fs::Permissions::from_mode(0o700))?;
            }
            let mut c = me.command("initdb");
            c.arg("-D").arg(&me.data_dir).args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-instructions",
            ]);
            me.run(c, "initdb").map_err(|e| {
                anyhow!("{e}. If the folder is not reachable by the `postgres` user (a parent folder without o+x), choose another data_dir")
            })?;
        }
        if me.is_running() {
            tracing::info!(path = %me.data_dir.display(), "reusing the running embedded PostgreSQL cluster");
            return Ok(me);
        }
        let opts = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c unix_socket_permissions=0700 -c max_connections=200 -c random_page_cost=1.1 {extra}",
            me.data_dir.display()
        );
        let mut c = me.command("pg_ctl");
        c.arg("start")
            .arg("-D")
            .arg(&me.data_dir)
            .arg("-l")
            .arg(me.data_dir.join("server.log"))
            .args(["-w", "-t", "60", "-o", &opts]);
        me.run(c, "pg_ctl start")
            .map_err(|e| anyhow!("{e} (see {}/server.log)", me.data_dir.display()))?;
        me.started_here = true;
        tracing::info!(path = %me.data_dir.display(), "embedded PostgreSQL started");
        Ok(me)
    }

    /// A connection string for a database of the cluster (key/value form, unix socket).
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "host={} user=postgres dbname={dbname}",
            self.data_dir.display()
        )
    }

    /// Creates the database if it does not exist.
    pub async fn ensure_database(&self, dbname: &str) -> Result<()> {
        use stoa_db::diesel_async::RunQueryDsl;
        let mut c = stoa_db::pool::establish(&self.url("postgres"))
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let exists = stoa_db::pool::database_exists(&mut c, dbname).await?;
        if !exists {
            let safe: String = dbname
                .chars()
                .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                .collect();
            diesel::sql_query(format!("CREATE DATABASE \"{safe}\""))
                .execute(&mut c)
                .await?;
        }
        Ok(())
    }

    /// Stops the cluster if this process started it.
    pub async fn stop(&self) -> Result<()> {
        if !self.started_here {
            return Ok(());
        }
        let mut c = self.command("pg_ctl");
        c.arg("stop")
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", "fast", "-w", "-t", "60"]);
        tokio::task::spawn_blocking(move || c.output())
            .await
            .context("pg_ctl stop task")??;
        tracing::info!(path = %self.data_dir.display(), "embedded PostgreSQL stopped");
        Ok(())
    }

    /// Keeps the cluster running after this process ends (shared test clusters).
    pub fn detach(mut self) {
        self.started_here = false;
    }
}

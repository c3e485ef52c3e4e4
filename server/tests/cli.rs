//! The `stoa` binary end to end: the zero-config run starts its own PostgreSQL cluster,
//! `admin create` then a GraphQL login work, SIGTERM drains and stops the cluster, a restart
//! keeps sessions valid; invalid configuration stops startup naming the key.

#![expect(clippy::expect_used, reason = "tests fail fast on broken setup")]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{free_port, stoa};

fn spawn_serve(dir: &Path, port: u16) -> Child {
    spawn_serve_with(dir, port, &[])
}

fn spawn_serve_with(dir: &Path, port: u16, env: &[(&str, &str)]) -> Child {
    let log = std::fs::File::create(dir.join(format!("serve-{port}.log"))).expect("log");
    stoa(dir)
        .arg("serve")
        .env("STOA_SERVER_PORT", port.to_string())
        .env("STOA_SERVER_HOST", "127.0.0.1")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn stoa serve")
}

async fn wait_healthy(client: &reqwest::Client, port: u16, child: &mut Child) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(90) {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("stoa serve exited early with {status}");
        }
        let url = format!("http://127.0.0.1:{port}/api/v1/health");
        if let Ok(r) = client.get(url).send().await
            && r.text()
                .await
                .is_ok_and(|t| t == "{\"data\":{\"status\":\"ok\"}}\n")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("stoa serve did not become healthy");
}

fn terminate(child: &mut Child) {
    let ok = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill")
        .success();
    assert!(ok);
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            assert!(status.success(), "stoa serve exited with {status}");
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "stoa serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn gql(
    client: &reqwest::Client,
    port: u16,
    token: Option<&str>,
    query: &str,
    vars: Value,
) -> Value {
    let mut req = client
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({"query": query, "variables": vars}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("send").json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread")]
async fn zero_config_serve_runs_its_own_cluster() {
    let tmp = tempfile::Builder::new()
        .prefix("stoa-zc")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let dir = tmp.path();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let client = reqwest::Client::new();
    let port = free_port();
    let mut server = spawn_serve_with(dir, port, &[("STOA_LOG_FORMAT", "json")]);
    wait_healthy(&client, port, &mut server).await;
    assert!(dir.join("data/postgres/PG_VERSION").exists());
    assert!(
        dir.join("data/postgres/.s.PGSQL.5432").exists(),
        "unix socket inside the data folder"
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("data/secrets.json"))
            .expect("secrets")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let log = std::fs::read_to_string(dir.join(format!("serve-{port}.log"))).expect("log");
    assert!(log.contains("generated auth.jwt_secret"), "{log}");
    let listening = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["message"] == "stoa listening")
        .expect("a JSON log line for the listening server");
    assert_eq!(listening["embedded_db"], true);
    assert!(!log.contains(
        &std::fs::read_to_string(dir.join("data/secrets.json")).expect("secrets")[20..60]
    ));

    let mut admin = stoa(dir)
        .args([
            "admin",
            "create",
            "--email",
            "Owner@Shop.test",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("admin create");
    admin
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"owner-password\n")
        .expect("write");
    let out = admin.wait_with_output().expect("admin create output");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("created super_admin owner@shop.test"));

    let login = gql(&client, port, None, "mutation { login(email: \"owner@shop.test\", password: \"owner-password\") { accessToken } }", json!({})).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = gql(
        &client,
        port,
        Some(&token),
        "{ me { kind email role } }",
        json!({}),
    )
    .await;
    assert_eq!(
        me["data"]["me"],
        json!({"kind": "STAFF", "email": "owner@shop.test", "role": "SUPER_ADMIN"})
    );

    let status = stoa(dir)
        .args(["migrate", "status"])
        .output()
        .expect("migrate status");
    assert!(
        String::from_utf8_lossy(&status.stdout).starts_with("applied "),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );

    terminate(&mut server);
    assert!(
        !dir.join("data/postgres/postmaster.pid").exists(),
        "the cluster stopped with the server"
    );

    // A restart keeps the generated secrets: the old token is still valid.
    let port = free_port();
    let mut server = spawn_serve(dir, port);
    wait_healthy(&client, port, &mut server).await;
    let me = gql(&client, port, Some(&token), "{ me { email } }", json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "owner@shop.test");
    terminate(&mut server);
}

fn run_fail(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = stoa(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run");
    assert!(!out.status.success(), "expected failure for {args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn invalid_configuration_names_the_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let db = [("STOA_DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")];
    let err = run_fail(
        dir,
        &["serve"],
        &[
            db[0],
            ("STOA_AUTH_JWT_SECRET", "short"),
            ("STOA_PAYMENT_ENCRYPTION_KEY", &"ab".repeat(32)),
        ],
    );
    assert!(err.contains("auth.jwt_secret"), "{err}");
    let err = run_fail(
        dir,
        &["serve"],
        &[db[0], ("STOA_AUTH_JWT_SECRET", "change-me-in-production")],
    );
    assert!(err.contains("auth.jwt_secret"), "{err}");
    let err = run_fail(
        dir,
        &["serve"],
        &[db[0], ("STOA_AUTH_JWT_SECRET", &"x".repeat(40))],
    );
    assert!(err.contains("payment.encryption_key"), "{err}");
    let err = run_fail(dir, &["serve"], &[("STOA_SERVER_PORT", "not-a-port")]);
    assert!(err.contains("server.port"), "{err}");
    std::fs::write(dir.join("config.yaml"), "server:\n  prot: 8080\n").expect("write");
    let err = run_fail(dir, &["serve"], &[]);
    assert!(err.contains("prot"), "{err}");
    let err = run_fail(dir, &["-c", "missing.yaml", "serve"], &[]);
    assert!(err.contains("missing.yaml"), "{err}");
}

#[test]
fn missing_postgres_binaries_say_what_to_do() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let err = run_fail(
        tmp.path(),
        &["migrate", "status"],
        &[("STOA_DATABASE_POSTGRES_BIN_DIR", "/nonexistent/bin")],
    );
    assert!(err.contains("database.postgres_bin_dir"), "{err}");
}

#[test]
fn version_and_schema_print() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = stoa(tmp.path()).arg("version").output().expect("version");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("stoa {}", env!("CARGO_PKG_VERSION"))
    );
    let out = stoa(tmp.path())
        .args(["schema", "print"])
        .output()
        .expect("schema print");
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/schema.graphql"
    ))
    .expect("sdl");
    assert_eq!(String::from_utf8_lossy(&out.stdout), file);
}

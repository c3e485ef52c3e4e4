//! `stoa mcp store|admin --stdio` end to end, driven by the rmcp client spawning the binary
//! (zero-config: the process runs the embedded cluster itself and stops it when the client
//! closes the connection). The admin server needs a staff credential in
//! `STOA_MCP_AUTHORIZATION`; stdout carries nothing but the JSON-RPC stream.

#![expect(clippy::expect_used, reason = "tests fail fast on broken setup")]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use support::{BIN, free_port, stoa};

async fn wait_healthy(port: u16, child: &mut Child) {
    let client = reqwest::Client::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(90) {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("stoa serve exited early with {status}");
        }
        let url = format!("http://127.0.0.1:{port}/api/v1/health");
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
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
    while child.try_wait().expect("try_wait").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "stoa serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn gql(port: u16, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({"query": query, "variables": vars}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("send").json().await.expect("json")
}

/// A staff API key, made through a short `stoa serve` run.
async fn staff_key(dir: &Path) -> String {
    let mut admin = stoa(dir)
        .args([
            "admin",
            "create",
            "--email",
            "owner@shop.test",
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
    let out = admin.wait_with_output().expect("admin create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = free_port();
    let log = std::fs::File::create(dir.join("serve.log")).expect("log");
    let mut server = stoa(dir)
        .arg("serve")
        .env("STOA_SERVER_PORT", port.to_string())
        .env("STOA_SERVER_HOST", "127.0.0.1")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("serve");
    wait_healthy(port, &mut server).await;
    let login = gql(
        port,
        None,
        "mutation { login(email: \"owner@shop.test\", password: \"owner-password\") { accessToken } }",
        json!({}),
    )
    .await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let key = gql(
        port,
        Some(&token),
        "mutation { createApiKey(input: {name: \"claude\", permissions: [\"audit.read\", \"settings.read\", \"settings.update\"]}) { key } }",
        json!({}),
    )
    .await;
    let key = key["data"]["createApiKey"]["key"]
        .as_str()
        .expect("key")
        .to_owned();
    terminate(&mut server);
    key
}

async fn spawn_stdio(
    dir: &Path,
    server: &str,
    env: &[(&str, &str)],
) -> RunningService<rmcp::RoleClient, ()> {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.current_dir(dir).args(["mcp", server, "--stdio"]);
    for (k, _) in std::env::vars() {
        if k.starts_with("STOA_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    let log = std::fs::File::create(dir.join(format!("mcp-{server}.log"))).expect("log");
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(log)
        .spawn()
        .expect("spawn stoa mcp");
    ().serve(transport).await.unwrap_or_else(|e| {
        let log =
            std::fs::read_to_string(dir.join(format!("mcp-{server}.log"))).unwrap_or_default();
        panic!("MCP handshake with `stoa mcp {server} --stdio` failed: {e:?}\n{log}")
    })
}

async fn call(
    mcp: &RunningService<rmcp::RoleClient, ()>,
    tool: &str,
    args: Value,
) -> CallToolResult {
    let mut p = CallToolRequestParams::new(tool.to_owned());
    if let Value::Object(m) = args {
        p = p.with_arguments(m);
    }
    mcp.call_tool(p).await.expect("call")
}

#[track_caller]
fn ok(r: &CallToolResult) -> Value {
    assert_ne!(r.is_error, Some(true), "{r:?}");
    r.structured_content.clone().expect("structured")
}

fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn stdio_servers_run_against_the_configured_database() {
    let tmp = tempfile::Builder::new()
        .prefix("stoa-mcp")
        .tempdir_in("/tmp")
        .expect("tempdir");
    let dir = tmp.path();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let key = staff_key(dir).await;

    // The HTTP transport belongs to `serve`; the admin server wants a staff credential.
    let out = stoa(dir).args(["mcp", "store"]).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--stdio"));
    let out = stoa(dir)
        .args(["mcp", "admin", "--stdio"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("STOA_MCP_AUTHORIZATION"), "{err}");
    assert!(out.stdout.is_empty(), "stdout is for JSON-RPC only");

    // Admin over stdio with the staff key.
    let admin = spawn_stdio(
        dir,
        "admin",
        &[("STOA_MCP_AUTHORIZATION", &format!("ApiKey {key}"))],
    )
    .await;
    let tools = admin.list_all_tools().await.expect("tools");
    // The core's tools and the built-in plugins'.
    let rows = stoa_server::plugins::Extensions::builtin()
        .expect("extensions")
        .mcp_admin;
    assert_eq!(tools.len(), rows.len());
    assert!(tools.iter().any(|t| t.name == "admin_order_guard_log"));
    let s = ok(&call(
        &admin,
        "admin_update_settings",
        json!({"store_name": "Stdio Shop"}),
    )
    .await);
    assert_eq!(s["storeName"], "Stdio Shop");
    let page = call(
        &admin,
        "admin_list_audit_log",
        json!({"entity_type": "settings"}),
    )
    .await;
    let v = ok(&page);
    assert_eq!(v["items"][0]["userType"], "api_key", "{v}");
    assert!(
        text(&page).contains("Page 1 of 1 (total: 1)"),
        "{}",
        text(&page)
    );
    admin.cancel().await.expect("close");
    assert!(
        !dir.join("data/postgres/postmaster.pid").exists(),
        "the stdio server stopped the cluster it started"
    );

    // Store over stdio: a guest registers, logs in, and the session acts as the customer.
    let store = spawn_stdio(dir, "store", &[]).await;
    let reg = ok(&call(
        &store,
        "store_register",
        json!({"email": "stdio@shop.test", "password": "stdio-password", "first_name": "Io"}),
    )
    .await);
    assert_eq!(reg["email"], "stdio@shop.test");
    let guest = call(&store, "store_get_account", json!({})).await;
    assert!(
        text(&guest).starts_with("UNAUTHENTICATED: "),
        "{}",
        text(&guest)
    );
    ok(&call(
        &store,
        "store_login",
        json!({"email": "stdio@shop.test", "password": "stdio-password"}),
    )
    .await);
    let account = ok(&call(&store, "store_get_account", json!({})).await);
    assert_eq!(account["firstName"], "Io");
    store.cancel().await.expect("close");
    let log = std::fs::read_to_string(dir.join("mcp-store.log")).expect("log");
    assert!(
        log.contains("MCP server on stdio"),
        "logs go to stderr: {log}"
    );
}

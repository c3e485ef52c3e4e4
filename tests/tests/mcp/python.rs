//! The official MCP Python SDK (`pip install mcp`, a client written by someone else) drives
//! `/mcp/store`. `scripts/test` creates the venv and sets `STOA_MCP_PYTHON`; without it the
//! test is skipped, unless `STOA_REQUIRE_PY_MCP=1`.

use std::time::Duration;

use stoa_tests::TestApp;

fn python() -> Option<String> {
    let required = std::env::var("STOA_REQUIRE_PY_MCP").is_ok_and(|v| v == "1");
    match std::env::var("STOA_MCP_PYTHON") {
        Ok(p) if std::path::Path::new(&p).exists() => Some(p),
        other => {
            let why = format!(
                "STOA_MCP_PYTHON is {other:?}: no Python interpreter with the `mcp` package \
                 (scripts/test creates one)"
            );
            assert!(!required, "{why}, and STOA_REQUIRE_PY_MCP=1");
            eprintln!("skipped: {why}");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_official_python_sdk_registers_and_logs_in() {
    let Some(python) = python() else {
        return;
    };
    let app = TestApp::new().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/store_client.py");
    let run = tokio::process::Command::new(&python)
        .arg(script)
        .arg(app.url("/mcp/store"))
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("the Python client finished within 2 minutes")
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.trim_end().ends_with("ok"),
        "python client failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}

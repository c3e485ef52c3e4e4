//! Connecting the rmcp client to a test app, and reading tool results.

use std::collections::HashMap;

use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig, ProtocolVersion};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;
use stoa_tests::{Auth, TestApp};

pub type Mcp = RunningService<RoleClient, ClientConfig>;

fn transport_config(
    app: &TestApp,
    server: &str,
    auth: &Auth,
) -> StreamableHttpClientTransportConfig {
    let mut headers = HashMap::new();
    let value = match auth {
        Auth::None => None,
        Auth::Bearer(t) => Some(format!("Bearer {t}")),
        Auth::ApiKey(k) => Some(format!("ApiKey {k}")),
        Auth::Raw(r) => Some(r.clone()),
    };
    if let Some(v) = value {
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_str(&v).expect("header value"),
        );
    }
    StreamableHttpClientTransportConfig::with_uri(app.url(&format!("/mcp/{server}")))
        .custom_headers(headers)
}

fn client_info() -> ClientConfig {
    let mut info = ClientConfig::default();
    info.client_info = rmcp::model::Implementation::new("stoa-tests", "1.0.0");
    info
}

/// A client with the classic `initialize` handshake (an MCP session).
pub async fn try_connect(app: &TestApp, server: &str, auth: &Auth) -> Result<Mcp, String> {
    client_info()
        .serve(StreamableHttpClientTransport::from_config(
            transport_config(app, server, auth),
        ))
        .await
        .map_err(|e| format!("{e:#?}"))
}

/// `try_connect` that must succeed.
pub async fn connect(app: &TestApp, server: &str, auth: &Auth) -> Mcp {
    try_connect(app, server, auth)
        .await
        .unwrap_or_else(|e| panic!("connect to /mcp/{server}: {e}"))
}

/// A client that prefers the 2026-07-28 protocol (`server/discover`, no session) and falls
/// back to `initialize` when the server does not speak it.
pub async fn connect_modern(app: &TestApp, server: &str, auth: &Auth) -> Mcp {
    client_info()
        .serve_with_lifecycle(
            StreamableHttpClientTransport::from_config(transport_config(app, server, auth)),
            ClientLifecycleMode::Auto {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
                legacy_version: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("connect to /mcp/{server}: {e:#?}"))
}

/// Calls a tool (the call itself must reach the tool).
pub async fn call(mcp: &Mcp, tool: &str, args: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(tool.to_owned());
    if let Value::Object(map) = args {
        params = params.with_arguments(map);
    }
    mcp.call_tool(params)
        .await
        .unwrap_or_else(|e| panic!("calling {tool}: {e:#?}"))
}

/// The text content.
pub fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The structured content of a successful result.
#[track_caller]
pub fn ok(r: &CallToolResult) -> Value {
    assert_ne!(r.is_error, Some(true), "tool error: {}", text(r));
    let structured = r.structured_content.clone().expect("structured content");
    // The text is the same value, pretty-printed (plus summary lines).
    let json_part = text(r)
        .split("\n\n")
        .next()
        .map(str::to_owned)
        .unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Value>(&json_part).expect("text starts with JSON"),
        structured
    );
    structured
}

/// The code of a failed result (`CODE: message` text, `errors[0].code` structured).
#[track_caller]
pub fn error_code(r: &CallToolResult) -> String {
    assert_eq!(r.is_error, Some(true), "expected a tool error: {}", text(r));
    let structured = r.structured_content.clone().expect("structured content");
    let code = structured["errors"][0]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    assert!(
        text(r).starts_with(&format!("{code}:")) || text(r).starts_with(&format!("{code} (")),
        "text names the code: {}",
        text(r)
    );
    code
}

//! Every tool operation validates against the current schema (the one the server runs),
//! with arguments that pass the tool's own checks.

use async_graphql::{Request, Variables};
use serde_json::{Map, Value};
use stoa_mcp::catalog::prepare;
use stoa_mcp::{McpServer, ServerKind};
use stoa_resolvers::RequestMeta;
use stoa_resolvers::domain::auth::Principal;
use stoa_tests::TestApp;

const NOT_VALID: [&str; 2] = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"];

struct NoAuth;

#[async_trait::async_trait]
impl stoa_mcp::McpAuth for NoAuth {
    async fn authenticate(
        &self,
        _authorization: Option<&str>,
        _cx: &stoa_mcp::CallContext<'_>,
    ) -> Result<stoa_mcp::Caller, stoa_mcp::ToolError> {
        Ok(stoa_mcp::Caller::new(
            stoa_mcp::CallerKind::Anonymous,
            |r| r,
        ))
    }
}

/// The codes of executing the operation as a guest on the app's schema (each test has its
/// own database, so what a guest may write does not matter). Validation errors mean the
/// operation does not fit the schema; anything else (`UNAUTHENTICATED`, …) happened after
/// validation passed.
async fn codes(app: &TestApp, source: &str, name: &str, vars: Map<String, Value>) -> Vec<String> {
    let req = Request::new(source)
        .operation_name(name)
        .variables(Variables::from_json(Value::Object(vars)))
        .data(Principal::Anonymous)
        .data(RequestMeta::default());
    let resp = app.app.schema.execute(req).await;
    stoa_mcp::ToolError::from_graphql(&resp.errors)
        .into_iter()
        .map(|e| format!("{}: {}", e.code, e.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_tool_operation_validates_against_the_current_schema() {
    let app = TestApp::new().await;
    let sdl = app.app.schema.sdl();
    let mut checked = 0;
    for kind in [ServerKind::Store, ServerKind::Admin] {
        // The core's tools and the built-in plugins'.
        let rows = match kind {
            ServerKind::Store => app.app.extensions.mcp_store.clone(),
            ServerKind::Admin => app.app.extensions.mcp_admin.clone(),
        };
        let server = McpServer::with_rows(
            kind,
            rows,
            app.app.schema.clone(),
            &sdl,
            std::sync::Arc::new(NoAuth),
            None,
        )
        .unwrap_or_else(|e| panic!("{} tools: {e}", kind.as_str()));
        for spec in server.catalog().tools() {
            // Arguments: an example of every required one, through the tool's conversion.
            let args = stoa_mcp::args::example_arguments(spec, server.schema());
            let vars = stoa_mcp::args::to_variables(spec, server.schema(), Some(args), None)
                .unwrap_or_else(|e| panic!("{}: {e}", spec.row.name));
            let errors = codes(&app, spec.operation.source, &spec.operation.name, vars).await;
            assert!(
                !errors
                    .iter()
                    .any(|e| NOT_VALID.iter().any(|c| e.starts_with(c))),
                "{} ({}): {errors:?}",
                spec.row.name,
                spec.operation.path
            );
            checked += 1;
        }
    }
    // The session refresh operation too.
    for op in stoa_mcp::tools::operations() {
        let (prepared, _) = prepare(op).expect("prepare");
        let mut vars = Map::new();
        if prepared.name == "StoreRefreshSession" {
            vars.insert("refreshToken".into(), Value::from("x"));
        }
        let errors = codes(&app, prepared.source, &prepared.name, vars).await;
        assert!(
            !errors
                .iter()
                .any(|e| NOT_VALID.iter().any(|c| e.starts_with(c))),
            "{}: {errors:?}",
            prepared.path
        );
    }
    assert_eq!(
        checked,
        app.app.extensions.mcp_store.len() + app.app.extensions.mcp_admin.len()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_that_does_not_match_the_schema_is_caught() {
    let app = TestApp::new().await;
    let errors = codes(
        &app,
        "query Broken { account { id nickname } }",
        "Broken",
        Map::new(),
    )
    .await;
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("GRAPHQL_VALIDATION_FAILED")),
        "{errors:?}"
    );
}

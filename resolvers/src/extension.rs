//! Gives every error `extensions.code` from the closed set, including the errors that the
//! engine raises itself (parse, validation, depth and complexity limits).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Value, Variables};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::error::{ErrorCode, classify_engine_error};

/// Attaches fresh DataLoaders to every request (so caches never outlive a request), for every
/// surface: HTTP, WebSocket, REST and MCP.
pub struct Loaders;

impl ExtensionFactory for Loaders {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LoadersExtension)
    }
}

struct LoadersExtension;

#[async_trait::async_trait]
impl Extension for LoadersExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: async_graphql::extensions::NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        let request = match ctx.data_opt::<crate::state::AppState>() {
            Some(state) => {
                let loader = crate::catalog::loaders::CatalogLoader {
                    pool: state.pool.clone(),
                };
                // Cached per request: list resolvers prefetch every requested relation in
                // one batch each, nested fields then read from the cache.
                let dl = async_graphql::dataloader::DataLoader::with_cache(
                    loader,
                    tokio::spawn,
                    async_graphql::dataloader::HashMapCache::default(),
                )
                .delay(std::time::Duration::from_millis(1));
                request
                    .data(dl)
                    .data(crate::commerce::order_loaders::OrderLoader::data_loader(
                        state.pool.clone(),
                    ))
            }
            None => request,
        };
        next.run(ctx, request).await
    }
}

/// Stops every request after validation (used to check operation documents).
pub struct ValidateOnly;

impl ExtensionFactory for ValidateOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidateOnlyExtension)
    }
}

struct ValidateOnlyExtension;

#[async_trait::async_trait]
impl Extension for ValidateOnlyExtension {
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: async_graphql::extensions::NextExecute<'_>,
    ) -> Response {
        Response::new(Value::Null)
    }
}

/// The factory registered on the schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

/// Adds a code to an error that has none.
pub fn ensure_code(err: &mut ServerError) {
    let has_code = err
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if has_code {
        return;
    }
    let input_error = [
        "Failed to parse",
        "Invalid value for argument",
        "Expected input type",
        "Variable ",
    ]
    .iter()
    .any(|p| err.message.starts_with(p));
    let code = if err.path.is_empty() {
        classify_engine_error(&err.message)
    } else if input_error {
        // Argument coercion failed: the message describes the caller's input, not internals.
        ErrorCode::ValidationError
    } else {
        // An error inside execution without a code is a bug; never leak its text.
        tracing::error!(error = %err.message, "resolver error without a code");
        err.message = ErrorCode::InternalError.default_message().to_owned();
        ErrorCode::InternalError
    };
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", Value::from(code.as_str()));
}

fn tag(err: &mut ServerError, code: ErrorCode) {
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", Value::from(code.as_str()));
}

fn fix(mut resp: Response) -> Response {
    resp.errors.iter_mut().for_each(ensure_code);
    resp
}

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        fix(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(fix).boxed()
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut e| {
            tag(&mut e, ErrorCode::GraphqlParseFailed);
            e
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errs| {
            for e in &mut errs {
                let code = match classify_engine_error(&e.message) {
                    c @ (ErrorCode::QueryTooDeep | ErrorCode::QueryTooComplex) => c,
                    _ => ErrorCode::GraphqlValidationFailed,
                };
                tag(e, code);
            }
            errs
        })
    }
}

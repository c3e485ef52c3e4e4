//! `POST /graphql` and `GET /graphql`: authenticate, execute on the schema, map errors to
//! HTTP statuses. Malformed bodies get a GraphQL-shaped error with a code, never a panic.

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, BatchResponse, Request as GqlRequest};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use stoa_resolvers::domain::auth::Principal;
use stoa_resolvers::{ApiError, ErrorCode, RequestMeta};

use super::middleware::{Peer, client_ip};
use crate::app::App;

/// A GraphQL-shaped error response.
pub fn error_response(err: &ApiError) -> Response {
    let mut ext = serde_json::json!({ "code": err.code.as_str() });
    if let Some(f) = &err.field {
        ext["field"] = f.as_str().into();
    }
    let body = serde_json::json!({ "errors": [{ "message": err.message, "extensions": ext }] });
    let status = StatusCode::from_u16(err.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut resp = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    if let Some(secs) = err.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// Resolves the caller from the `Authorization` header.
pub async fn authenticate(app: &App, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let value = match headers.get(header::AUTHORIZATION) {
        None => None,
        Some(v) => Some(v.to_str().map_err(|_| {
            ApiError::with_message(
                ErrorCode::InvalidToken,
                "invalid authorization header format",
            )
        })?),
    };
    app.state.auth.authenticate(&app.state.pool, value).await
}

fn codes(resp: &BatchResponse) -> Vec<ErrorCode> {
    let errors: Vec<&async_graphql::ServerError> = match resp {
        BatchResponse::Single(r) => r.errors.iter().collect(),
        BatchResponse::Batch(rs) => rs.iter().flat_map(|r| r.errors.iter()).collect(),
    };
    errors
        .iter()
        .filter_map(|e| e.extensions.as_ref()?.get("code").cloned())
        .filter_map(|v| match v {
            async_graphql::Value::String(s) => ErrorCode::parse(&s),
            _ => None,
        })
        .collect()
}

/// 503 when the database is away; 400 when nothing was executed (parse, validation,
/// limits); 200 otherwise (field errors sit beside partial data).
fn status_for(resp: &BatchResponse) -> StatusCode {
    let codes = codes(resp);
    if codes.contains(&ErrorCode::ServiceUnavailable) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let not_executed = matches!(resp, BatchResponse::Single(r) if r.data == async_graphql::Value::Null && !r.errors.is_empty());
    if not_executed
        && codes.iter().all(|c| {
            matches!(
                c,
                ErrorCode::GraphqlParseFailed
                    | ErrorCode::GraphqlValidationFailed
                    | ErrorCode::QueryTooDeep
                    | ErrorCode::QueryTooComplex
                    | ErrorCode::BadRequest
            )
        })
        && !codes.is_empty()
    {
        return StatusCode::BAD_REQUEST;
    }
    StatusCode::OK
}

async fn execute(app: &App, headers: &HeaderMap, peer: Peer, batch: BatchRequest) -> Response {
    let principal = match authenticate(app, headers).await {
        Ok(p) => p,
        Err(e) => return error_response(&e),
    };
    let meta = RequestMeta {
        ip: client_ip(peer, headers, &app.trusted_proxies),
        channel: stoa_resolvers::state::Channel::Graphql,
    };
    let mut batch = batch.data(principal).data(meta);
    if let Some(lang) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        batch = batch.data(stoa_resolvers::AcceptLanguage(lang.to_owned()));
    }
    if let Some(session) = headers.get("x-session-id").and_then(|v| v.to_str().ok()) {
        batch = batch.data(stoa_resolvers::GuestSession(session.to_owned()));
    }
    let resp = app.schema.execute_batch(batch).await;
    let status = status_for(&resp);
    let body = match serde_json::to_vec(&resp) {
        Ok(b) => b,
        Err(e) => return error_response(&ApiError::internal(e)),
    };
    let mut out = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        out.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    out
}

/// True when every `Upload` placeholder in the variables points at a file of the request.
/// async-graphql panics on a placeholder without its file, so such requests are refused
/// before they run.
fn uploads_consistent(req: &GqlRequest) -> bool {
    const PREFIX: &str = "#__graphql_file__:";
    fn walk(v: &async_graphql::Value, files: usize) -> bool {
        match v {
            async_graphql::Value::String(s) => s
                .strip_prefix(PREFIX)
                .is_none_or(|i| i.parse::<usize>().is_ok_and(|i| i < files)),
            async_graphql::Value::List(l) => l.iter().all(|x| walk(x, files)),
            async_graphql::Value::Object(o) => o.values().all(|x| walk(x, files)),
            _ => true,
        }
    }
    !req.query.contains(PREFIX) && req.variables.values().all(|v| walk(v, req.uploads.len()))
}

fn batch_uploads_consistent(batch: &BatchRequest) -> bool {
    match batch {
        BatchRequest::Single(r) => uploads_consistent(r),
        BatchRequest::Batch(rs) => rs.iter().all(uploads_consistent),
    }
}

fn inconsistent_uploads() -> Response {
    error_response(&ApiError::with_message(
        ErrorCode::BadRequest,
        "a variable refers to a file that the request does not carry",
    ))
}

/// A `multipart/form-data` request (GraphQL multipart request spec: `operations`, `map`,
/// then the files), bounded by `server.max_upload_size` as a whole and per file.
async fn multipart(app: &App, headers: &HeaderMap, body: Body) -> Result<BatchRequest, Response> {
    use futures_util::TryStreamExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    let limit = app.config.server.max_upload_size;
    let too_large = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(AtomicUsize::new(0));
    let flag = too_large.clone();
    let stream = body
        .into_data_stream()
        .map_err(std::io::Error::other)
        .and_then(move |chunk| {
            let total = seen.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
            let over = total > limit;
            if over {
                flag.store(true, Ordering::Relaxed);
            }
            async move {
                if over {
                    Err(std::io::Error::other(
                        "upload exceeds server.max_upload_size",
                    ))
                } else {
                    Ok(chunk)
                }
            }
        });
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let opts = async_graphql::http::MultipartOptions::default()
        .max_file_size(limit)
        .max_num_files(10);
    match async_graphql::http::receive_batch_body(content_type, stream.into_async_read(), opts)
        .await
    {
        Ok(batch) => Ok(batch),
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => {
            Err(error_response(&ApiError::new(ErrorCode::PayloadTooLarge)))
        }
        Err(_) if too_large.load(Ordering::Relaxed) => {
            Err(error_response(&ApiError::new(ErrorCode::PayloadTooLarge)))
        }
        Err(e) => Err(error_response(&ApiError::with_message(
            ErrorCode::BadRequest,
            format!("invalid multipart request: {e}"),
        ))),
    }
}

/// `POST /graphql`: a JSON GraphQL request or a batch, or a `multipart/form-data` upload.
pub async fn post_handler(
    State(app): State<App>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if super::middleware::is_multipart(&headers) {
        let batch = match multipart(&app, &headers, body).await {
            Ok(b) => b,
            Err(r) => return r,
        };
        if !batch_uploads_consistent(&batch) {
            return inconsistent_uploads();
        }
        return execute(&app, &headers, peer, batch).await;
    }
    let limit = app.config.server.max_body_size;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return error_response(&ApiError::new(ErrorCode::PayloadTooLarge)),
    };
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => {
            let msg = if e.is_syntax() || e.is_eof() {
                "request body is not valid JSON".to_owned()
            } else {
                format!("request body is not a GraphQL request: {e}")
            };
            return error_response(&ApiError::with_message(ErrorCode::BadRequest, msg));
        }
    };
    if !batch_uploads_consistent(&batch) {
        return inconsistent_uploads();
    }
    execute(&app, &headers, peer, batch).await
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// `GET /graphql`: GraphiQL for browsers, queries (never mutations) from the query string.
pub async fn get_handler(
    State(app): State<App>,
    peer: Peer,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    if query.is_empty() {
        if app.config.graphql.graphiql && wants_html(&headers) {
            let page = GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish();
            let mut resp = Html(page).into_response();
            resp.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'self' 'unsafe-inline' https://unpkg.com; connect-src 'self' ws: wss:; img-src 'self' data: https:"),
            );
            return resp;
        }
        return error_response(&ApiError::with_message(
            ErrorCode::BadRequest,
            "missing `query` parameter",
        ));
    }
    let req: GqlRequest = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => {
            return error_response(&ApiError::with_message(
                ErrorCode::BadRequest,
                format!("invalid query string: {e}"),
            ));
        }
    };
    if let Ok(doc) = async_graphql::parser::parse_query(&req.query) {
        let mutation = doc
            .operations
            .iter()
            .any(|(_, op)| op.node.ty != OperationType::Query);
        if mutation {
            let err = ApiError::with_message(
                ErrorCode::BadRequest,
                "only queries may be sent with GET; use POST",
            );
            let mut resp = error_response(&err);
            *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            resp.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return resp;
        }
    }
    if !uploads_consistent(&req) {
        return inconsistent_uploads();
    }
    execute(&app, &headers, peer, BatchRequest::Single(req)).await
}

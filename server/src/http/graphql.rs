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
    };
    let mut batch = batch.data(principal).data(meta);
    if let Some(lang) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        batch = batch.data(stoa_resolvers::AcceptLanguage(lang.to_owned()));
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

/// `POST /graphql`: a JSON GraphQL request or a batch.
pub async fn post_handler(
    State(app): State<App>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
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
    execute(&app, &headers, peer, BatchRequest::Single(req)).await
}

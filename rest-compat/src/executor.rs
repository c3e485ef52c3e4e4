//! The one generic executor: authenticate per the row, build variables from the path and the
//! body, run the row's operation in-process, translate errors, wrap the result.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Executor, Variables};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde_json::{Map, Value};

use crate::errors::{RestError, auth_failure, bad_form, bad_json, bad_uuid, translate};
use crate::routes::routes;
use crate::shape::{self, camel, normalize_timestamps};
use crate::table::{AuthRule, Default, Envelope, QueryKind, Route, Var, Verb};
use crate::{Authenticated, Caller, RestContext};

/// Writes a [`RestError`].
pub fn write_error(e: &RestError) -> Response {
    let mut r = shape::error(e.status, &e.code, &e.detail, e.field.as_deref());
    if let Some(secs) = e.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

fn filter(v: Verb) -> MethodFilter {
    match v {
        Verb::Get => MethodFilter::GET,
        Verb::Post => MethodFilter::POST,
        Verb::Put => MethodFilter::PUT,
        Verb::Patch => MethodFilter::PATCH,
        Verb::Delete => MethodFilter::DELETE,
    }
}

/// The router of every core row, generic over the executor (the server passes its schema).
pub fn router<E: Executor + Clone>(ctx: RestContext<E>) -> Router {
    router_with(ctx, &crate::extra::RouteTable::core())
}

/// The router of every row of `table` (core rows plus plugin rows).
pub fn router_with<E: Executor + Clone>(
    ctx: RestContext<E>,
    table: &crate::extra::RouteTable,
) -> Router {
    let upload_limit = ctx.max_upload_size;
    let ctx = Arc::new(ctx);
    let mut by_path: BTreeMap<&'static str, MethodRouter> = BTreeMap::new();
    for route in table.rows().filter(|r| r.when_body_has.is_none()) {
        let ctx = ctx.clone();
        let alternates: Vec<&'static Route> = table
            .rows()
            .filter(|r| {
                r.when_body_has.is_some() && r.path == route.path && r.method == route.method
            })
            .collect();
        let handler = on(
            filter(route.method),
            move |path: Option<Path<BTreeMap<String, String>>>, req: Request| {
                let ctx = ctx.clone();
                let alternates = alternates.clone();
                async move {
                    let params = path.map(|Path(p)| p).unwrap_or_default();
                    handle(&ctx, route, &alternates, params, req).await
                }
            },
        );
        let entry = by_path.remove(route.path);
        by_path.insert(
            route.path,
            match entry {
                Some(existing) => existing.merge(handler),
                None => handler,
            },
        );
    }
    by_path
        .into_iter()
        .fold(Router::new(), |r, (path, mr)| r.route(path, mr))
        // Only the multipart extractor reads this; JSON bodies keep `max_body_size`.
        .layer(axum::extract::DefaultBodyLimit::max(upload_limit))
}

async fn resolve<E>(
    ctx: &RestContext<E>,
    route: &Route,
    parts: &axum::http::request::Parts,
) -> Result<Authenticated, RestError> {
    let header_present = parts.headers.contains_key(header::AUTHORIZATION);
    match route.auth {
        AuthRule::None => Ok(ctx.auth.anonymous(parts)),
        AuthRule::Optional => Ok(match ctx.auth.authenticate(parts).await {
            Ok(a) => a,
            Err(_) => ctx.auth.anonymous(parts),
        }),
        rule => {
            let who = ctx
                .auth
                .authenticate(parts)
                .await
                .map_err(|f| auth_failure(&f.code, &f.message, header_present))?;
            match (rule, who.caller) {
                (_, Caller::Anonymous) if rule == AuthRule::Customer => Err(RestError::new(
                    401,
                    "unauthorized",
                    "authentication required",
                )),
                (_, Caller::Anonymous) => Err(auth_failure("", "", false)),
                (AuthRule::Staff, Caller::Customer) => Err(RestError::new(
                    403,
                    "unauthorized",
                    "insufficient permissions",
                )),
                _ => Ok(who),
            }
        }
    }
}

fn variables(
    route: &Route,
    params: &BTreeMap<String, String>,
    query: &BTreeMap<String, String>,
    body: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, RestError> {
    let mut vars = Map::new();
    for v in route.vars {
        match *v {
            Var::PathUuid { param, var } => {
                let raw = params.get(param).map(String::as_str).unwrap_or_default();
                let id = uuid::Uuid::parse_str(raw).map_err(|_| bad_uuid(route, param))?;
                vars.insert(var.to_owned(), Value::String(id.to_string()));
            }
            Var::PathString { param, var } => {
                let raw = params.get(param).cloned().unwrap_or_default();
                vars.insert(var.to_owned(), Value::String(raw));
            }
            Var::Query { name, var, kind } => {
                if let Some(raw) = query
                    .get(name)
                    .map(String::as_str)
                    .filter(|s| !s.is_empty())
                {
                    let value = match kind {
                        QueryKind::Int => {
                            raw.parse::<i64>().ok().filter(|n| *n > 0).map(Value::from)
                        }
                        QueryKind::Str => Some(Value::String(raw.to_owned())),
                        QueryKind::Uuid => uuid::Uuid::parse_str(raw)
                            .ok()
                            .map(|u| Value::String(u.to_string())),
                        QueryKind::UuidOr400(code) => {
                            let id = uuid::Uuid::parse_str(raw).map_err(|_| {
                                RestError::new(400, code, &format!("invalid {name}"))
                            })?;
                            Some(Value::String(id.to_string()))
                        }
                        QueryKind::Enum(allowed) => allowed
                            .contains(&raw)
                            .then(|| Value::String(raw.to_uppercase())),
                        QueryKind::Bool => Some(Value::Bool(raw == "true" || raw == "1")),
                        QueryKind::Order => Some(Value::String(
                            if raw.eq_ignore_ascii_case("asc") {
                                "ASC"
                            } else {
                                "DESC"
                            }
                            .into(),
                        )),
                    };
                    if let Some(v) = value {
                        vars.insert(var.to_owned(), v);
                    }
                }
            }
            Var::BodyField { json, var, default } => {
                match body.and_then(|b| b.get(json)).filter(|v| !v.is_null()) {
                    Some(value) => {
                        vars.insert(var.to_owned(), camel_keys(value.clone()));
                    }
                    None => {
                        if let Default::EmptyString = default {
                            vars.insert(var.to_owned(), Value::String(String::new()));
                        }
                    }
                }
            }
            Var::BodyWith { json, var, convert } => {
                let raw = body
                    .and_then(|b| b.get(json))
                    .cloned()
                    .unwrap_or(Value::Null);
                let value = convert(raw).ok_or_else(|| bad_json(route.family))?;
                if !value.is_null() {
                    vars.insert(var.to_owned(), camel_keys(value));
                }
            }
            // Filled from the multipart form by `apply_form`.
            Var::File { .. } | Var::FormField { .. } => {}
            // Filled from the request's cookies by `apply_cookies`.
            Var::Cookie { .. } => {}
            // Filled from the request's headers by `apply_headers`.
            Var::Header { .. } => {}
            Var::BodyInput { var, fields } => {
                let mut input = Map::new();
                for f in fields {
                    if let Some(value) = body.and_then(|b| b.get(*f)) {
                        // Absent, null and (as in the reference's partial updates) empty
                        // strings leave a field unchanged on update routes.
                        let empty = value.is_null()
                            || (route.method == Verb::Put && value.as_str() == Some(""));
                        if !empty {
                            // Free-form JSON maps keep their keys as sent.
                            let value = if FREE_FORM.contains(f) {
                                value.clone()
                            } else {
                                camel_keys(value.clone())
                            };
                            input.insert(camel(f), value);
                        }
                    }
                }
                vars.insert(var.to_owned(), Value::Object(input));
            }
        }
    }
    Ok(vars)
}

/// Body fields holding free-form JSON objects (the reference's `custom_fields`/`metadata`
/// maps, a payment method's `config`), whose keys are data, not field names.
const FREE_FORM: &[&str] = &[
    "custom_fields",
    "metadata",
    "config",
    "billing_address",
    "shipping_address",
];

/// The request's cookies (`name=value` pairs of every `Cookie` header).
fn request_cookies(headers: &axum::http::HeaderMap) -> BTreeMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            Some((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
        })
        .collect()
}

/// Sets the [`Var::Cookie`] variables from the request's cookies.
fn apply_cookies(route: &Route, vars: &mut Map<String, Value>, cookies: &BTreeMap<String, String>) {
    for v in route.vars {
        if let Var::Cookie { name, var } = *v
            && let Some(value) = cookies.get(name).filter(|s| !s.is_empty())
        {
            vars.insert(var.to_owned(), Value::String(value.clone()));
        }
    }
}

/// Sets the [`Var::Header`] variables from the request's headers.
fn apply_headers(route: &Route, vars: &mut Map<String, Value>, headers: &axum::http::HeaderMap) {
    for v in route.vars {
        if let Var::Header { name, var } = *v
            && let Some(value) = headers
                .get(name)
                .and_then(|h| h.to_str().ok())
                .map(str::trim)
                .filter(|s| !s.is_empty())
        {
            vars.insert(var.to_owned(), Value::String(value.to_owned()));
        }
    }
}

/// Takes the [`crate::table::ResultCookie`] field out of the result and renders its
/// `Set-Cookie` header.
fn take_cookie(route: &Route, result: &mut Value, secure: bool) -> Option<HeaderValue> {
    let c = route.set_cookie?;
    let value = result.as_object_mut()?.shift_remove(c.field)?;
    let value = value.as_str().filter(|s| !s.is_empty())?;
    let mut cookie = format!(
        "{}={value}; Path={}; Max-Age={}; HttpOnly; SameSite=Lax",
        c.name, c.path, c.max_age
    );
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).ok()
}

/// Nested input objects are camelCase in GraphQL, snake_case in the reference's JSON.
fn camel_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (camel(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(camel_keys).collect()),
        other => other,
    }
}

fn has_body(route: &Route) -> bool {
    route.vars.iter().any(|v| {
        matches!(
            v,
            Var::BodyField { .. } | Var::BodyInput { .. } | Var::BodyWith { .. }
        )
    })
}

fn body_optional(route: &Route) -> bool {
    route.vars.iter().all(|v| {
        !matches!(
            v,
            Var::BodyInput { .. }
                | Var::BodyWith { .. }
                | Var::BodyField {
                    default: Default::EmptyString,
                    ..
                }
        )
    })
}

async fn read_body(
    route: &Route,
    body: Body,
    limit: usize,
) -> Result<Option<Map<String, Value>>, RestError> {
    if !has_body(route) {
        return Ok(None);
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| RestError::new(413, "body_too_large", "request body exceeds size limit"))?;
    if bytes.iter().all(u8::is_ascii_whitespace) && body_optional(route) {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(m)) => Ok(Some(m)),
        _ => Err(bad_json(route.family)),
    }
}

/// The parts of a `multipart/form-data` body that a row asked for.
#[derive(Default)]
struct Form {
    texts: BTreeMap<String, String>,
    files: BTreeMap<String, async_graphql::UploadValue>,
}

fn is_multipart(route: &Route) -> bool {
    route.vars.iter().any(Var::is_multipart)
}

fn form_error(route: &Route, e: &axum::extract::multipart::MultipartError) -> RestError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        RestError::new(413, "body_too_large", "request body exceeds size limit")
    } else {
        bad_form(route.family)
    }
}

/// Reads the multipart parts the row names (others are skipped), within the upload limit.
async fn read_form(route: &Route, req: Request) -> Result<Form, RestError> {
    use axum::extract::FromRequest;
    let mut mp = axum::extract::Multipart::from_request(req, &())
        .await
        .map_err(|_| bad_form(route.family))?;
    let mut form = Form::default();
    while let Some(field) = mp.next_field().await.map_err(|e| form_error(route, &e))? {
        let name = field.name().unwrap_or_default().to_owned();
        let wanted_file = route
            .vars
            .iter()
            .any(|v| matches!(v, Var::File { field, .. } if *field == name));
        let wanted_text = route
            .vars
            .iter()
            .any(|v| matches!(v, Var::FormField { field, .. } if *field == name));
        if wanted_file && !form.files.contains_key(&name) {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let content_type = field.content_type().map(str::to_owned);
            let content = field.bytes().await.map_err(|e| form_error(route, &e))?;
            form.files.insert(
                name,
                async_graphql::UploadValue {
                    filename,
                    content_type,
                    content,
                },
            );
        } else if wanted_text && !form.texts.contains_key(&name) {
            let text = field.text().await.map_err(|e| form_error(route, &e))?;
            form.texts.insert(name, text);
        } else {
            // Drained so that the limit still applies to parts nobody asked for.
            field.bytes().await.map_err(|e| form_error(route, &e))?;
        }
    }
    Ok(form)
}

/// Puts the form's text parts into the variables and its files into the request.
fn apply_form(
    route: &Route,
    vars: &mut Map<String, Value>,
    form: &mut Form,
) -> Vec<(String, async_graphql::UploadValue)> {
    let mut uploads = Vec::new();
    for v in route.vars {
        match *v {
            Var::FormField { field, var } => {
                if let Some(t) = form.texts.remove(field).filter(|t| !t.is_empty()) {
                    vars.insert(var.to_owned(), Value::String(t));
                }
            }
            Var::File { field, var } => {
                vars.insert(var.to_owned(), Value::Null);
                if let Some(f) = form.files.remove(field) {
                    uploads.push((format!("variables.{var}"), f));
                }
            }
            _ => {}
        }
    }
    uploads
}

/// The parsed documents of every row, parsed once.
static DOCUMENTS: std::sync::LazyLock<std::collections::HashMap<&'static str, ExecutableDocument>> =
    std::sync::LazyLock::new(|| {
        routes()
            .iter()
            .filter_map(|r| {
                async_graphql::parser::parse_query(r.document)
                    .ok()
                    .map(|d| (r.file, d))
            })
            .collect()
    });

/// The parsed document of a row's file (core or plugin).
fn document(file: &str) -> Option<&'static ExecutableDocument> {
    DOCUMENTS
        .get(file)
        .or_else(|| crate::extra::extra_document(file))
}

/// The selection set of the row's result field.
fn result_selection(route: &Route) -> Option<(&'static ExecutableDocument, &'static SelectionSet)> {
    let doc = document(route.file)?;
    let op = doc
        .operations
        .iter()
        .find(|(name, _)| name.is_some_and(|n| n.as_str() == route.operation))?
        .1;
    op.node
        .selection_set
        .node
        .items
        .iter()
        .find_map(|item| match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let key = f
                    .alias
                    .as_ref()
                    .map_or_else(|| f.name.node.as_str(), |a| a.node.as_str());
                (key == route.result).then_some((doc, &f.selection_set.node))
            }
            _ => None,
        })
}

/// Runs one row for one request.
pub async fn handle<E: Executor>(
    ctx: &RestContext<E>,
    route: &Route,
    alternates: &[&Route],
    params: BTreeMap<String, String>,
    req: Request,
) -> Response {
    match run(ctx, route, alternates, params, req).await {
        Ok(r) => r,
        Err(e) => write_error(&e),
    }
}

fn first_error(
    resp: &async_graphql::Response,
) -> Option<(String, String, Option<String>, Option<u64>)> {
    let e = resp.errors.first()?;
    let ext = e.extensions.as_ref();
    let get = |k: &str| ext.and_then(|x| x.get(k)).cloned();
    let code = match get("code") {
        Some(async_graphql::Value::String(s)) => s,
        _ => "INTERNAL_ERROR".to_owned(),
    };
    let field = match get("field") {
        Some(async_graphql::Value::String(s)) => Some(s),
        _ => None,
    };
    let retry = match get("retryAfter") {
        Some(async_graphql::Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    Some((code, e.message.clone(), field, retry))
}

async fn run<E: Executor>(
    ctx: &RestContext<E>,
    route: &Route,
    alternates: &[&Route],
    params: BTreeMap<String, String>,
    req: Request,
) -> Result<Response, RestError> {
    let (parts, body) = req.into_parts();
    let query: BTreeMap<String, String> =
        axum::extract::Query::<BTreeMap<String, String>>::try_from_uri(&parts.uri)
            .map(|q| q.0)
            .unwrap_or_default();
    let cookies = request_cookies(&parts.headers);
    let headers = parts.headers.clone();
    let who = resolve(ctx, route, &parts).await?;
    let (body, mut form) = if is_multipart(route) {
        (
            None,
            read_form(route, Request::from_parts(parts, body)).await?,
        )
    } else {
        (
            read_body(route, body, ctx.max_body_size).await?,
            Form::default(),
        )
    };
    let route = alternates
        .iter()
        .copied()
        .find(|alt| {
            alt.when_body_has
                .is_some_and(|k| body.as_ref().is_some_and(|b| b.contains_key(k)))
        })
        .unwrap_or(route);
    let mut vars = variables(route, &params, &query, body.as_ref())?;
    apply_cookies(route, &mut vars, &cookies);
    apply_headers(route, &mut vars, &headers);
    let uploads = apply_form(route, &mut vars, &mut form);
    let mut request = async_graphql::Request::new(route.document)
        .operation_name(route.operation)
        .variables(Variables::from_json(Value::Object(vars)));
    // The row's document was parsed once at start-up: skip parsing it again per request.
    if let Some(doc) = document(route.file) {
        request.set_parsed_query(doc.clone());
    }
    for (path, upload) in uploads {
        request.set_upload(&path, upload);
    }
    let resp = ctx.executor.execute((who.attach)(request)).await;
    if let Some((code, message, field, retry)) = first_error(&resp) {
        if code == "INTERNAL_ERROR" {
            tracing::error!(route = route.path, error = %message, "operation failed");
        }
        return Err(translate(route, &code, &message, field.as_deref(), retry));
    }
    let data = serde_json::to_value(&resp.data)
        .map_err(|_| RestError::new(500, "internal_error", "an unexpected error occurred"))?;
    let mut result = data.get(route.result).cloned().unwrap_or(Value::Null);
    if let Some((doc, set)) = result_selection(route) {
        shape::order_by_selection(&mut result, set, doc);
    }
    normalize_timestamps(&mut result);
    shape::integral_floats(&mut result);
    shape::omit_null(&mut result, route.omit_null);
    let set_cookie = take_cookie(route, &mut result, ctx.secure_cookies);
    let body = match route.envelope {
        Envelope::Data => serde_json::json!({ "data": result }),
        Envelope::Message(m) => serde_json::json!({ "data": { "message": m } }),
        Envelope::Converted(f) => serde_json::json!({ "data": f(result) }),
        Envelope::NoContent => {
            return Ok((StatusCode::NO_CONTENT, ()).into_response());
        }
        Envelope::Attachment {
            content_type,
            filename,
        } => {
            let status = StatusCode::from_u16(route.status).unwrap_or(StatusCode::OK);
            let text = result.as_str().unwrap_or_default().to_owned();
            return Ok((
                status,
                [
                    (header::CONTENT_TYPE, content_type.to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{filename}\""),
                    ),
                ],
                text,
            )
                .into_response());
        }
        Envelope::Page => {
            let meta = serde_json::json!({
                "total": result["total"], "page": result["page"], "limit": result["limit"], "pages": result["pages"]
            });
            serde_json::json!({ "data": { "items": result["items"] }, "meta": meta })
        }
        Envelope::List => {
            let meta = serde_json::json!({
                "total": result["total"], "page": result["page"], "limit": result["limit"], "pages": result["pages"]
            });
            serde_json::json!({ "data": result["items"], "meta": meta })
        }
    };
    let status = StatusCode::from_u16(route.status).unwrap_or(StatusCode::OK);
    let mut response = shape::json(status, &body);
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

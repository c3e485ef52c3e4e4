//! The storefront response cache: anonymous catalog reads (store product lists and details,
//! the category tree, search, store config and settings — over REST and GraphQL) are served
//! from memory until the catalog changes.
//!
//! Invalidation is by generation. Every response is stored under the generation current
//! when its request started; a lookup only matches the current generation. The generation
//! moves on
//! - after every write request this instance handled (so a client reads its own writes), and
//! - on every `stoa_catalog` notification: statement triggers on the catalog tables notify on
//!   commit (migration `catalog_notify`), so writes of other instances, of the CLI or of SQL
//!   reach every instance within a round trip.
//!
//! While the listening connection is down the cache is bypassed; `cache.ttl` bounds the age of
//! any entry. Requests with an `Authorization` header are never cached.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_graphql::parser::types::{OperationType, Selection};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;

/// The notification channel of catalog changes.
pub const CHANNEL: &str = "stoa_catalog";

/// Header telling whether a cacheable response came from the cache (`hit`) or not (`miss`).
pub const CACHE_HEADER: &str = "x-stoa-cache";

/// GraphQL root fields whose results are the same for every anonymous caller.
const GRAPHQL_FIELDS: &[&str] = &[
    "products",
    "product",
    "categoryTree",
    "search",
    "storeConfig",
    "storeSettings",
    "__typename",
];

/// Largest GraphQL request body considered for caching.
const MAX_KEY_BODY: usize = 64 * 1024;
/// Largest response body kept.
const MAX_ENTRY: usize = 2 * 1024 * 1024;

#[derive(Clone)]
struct Entry {
    generation: u64,
    content_type: HeaderValue,
    body: Bytes,
}

/// The cache, shared by every request of one instance.
pub struct ResponseCache {
    enabled: bool,
    generation: AtomicU64,
    listening: AtomicBool,
    entries: moka::sync::Cache<Bytes, Entry>,
}

impl ResponseCache {
    /// A cache of at most `max_bytes` of responses, each kept at most `ttl`.
    pub fn new(enabled: bool, max_bytes: u64, ttl: Duration) -> Self {
        Self {
            enabled,
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            entries: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|k: &Bytes, v: &Entry| {
                    u32::try_from(k.len() + v.body.len() + 64).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build(),
        }
    }

    /// True when lookups may be answered: enabled and hearing about changes.
    fn active(&self) -> bool {
        self.enabled && self.listening.load(Ordering::Acquire)
    }

    /// Forgets everything stored so far.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate_all();
    }

    fn get(&self, key: &Bytes) -> Option<Entry> {
        let e = self.entries.get(key)?;
        (e.generation == self.generation.load(Ordering::Acquire)).then_some(e)
    }

    fn put(&self, key: Bytes, entry: Entry) {
        if entry.generation == self.generation.load(Ordering::Acquire) {
            self.entries.insert(key, entry);
        }
    }
}

/// Listens for catalog notifications on a connection taken out of the pool, invalidating
/// the cache on each; reconnects after a failure (invalidating, since changes may have been
/// missed meanwhile). Returns when `stop` is cancelled.
pub async fn listen(cache: Arc<ResponseCache>, pool: stoa_db::Pool, stop: CancellationToken) {
    use diesel_async::RunQueryDsl;
    if !cache.enabled {
        return;
    }
    loop {
        if let Ok(conn) = stoa_db::pool::conn(&pool).await {
            let mut conn = stoa_db::Conn::take(conn);
            // Not a request's statement: keep it out of the statement metric.
            diesel_async::AsyncConnection::set_instrumentation(
                &mut conn,
                |_: diesel::connection::InstrumentationEvent<'_>| {},
            );
            let listening = diesel::sql_query(format!("LISTEN {CHANNEL}"))
                .execute(&mut conn)
                .await;
            if listening.is_ok() {
                cache.invalidate();
                cache.listening.store(true, Ordering::Release);
                let mut notes = std::pin::pin!(conn.notifications_stream());
                loop {
                    tokio::select! {
                        () = stop.cancelled() => return,
                        note = notes.next() => match note {
                            Some(Ok(_)) => cache.invalidate(),
                            _ => break,
                        },
                    }
                }
                cache.listening.store(false, Ordering::Release);
                tracing::warn!(
                    "catalog notifications lost; response cache bypassed until reconnected"
                );
            }
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// What a request is to the cache.
enum Kind {
    /// A cacheable read, under this key.
    Read(Bytes),
    /// A GraphQL request body to classify after reading it.
    GraphqlPost,
    /// May write: invalidates once handled.
    Write,
    /// Neither.
    Other,
}

fn anonymous(req: &Request) -> bool {
    !req.headers().contains_key(header::AUTHORIZATION)
}

fn language(req: &Request) -> &[u8] {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .map_or(&[][..], HeaderValue::as_bytes)
}

/// Store REST reads that are the same for every anonymous caller.
fn cacheable_rest_path(path: &str) -> bool {
    path.starts_with("/api/v1/store/products")
        || matches!(
            path,
            "/api/v1/store/categories/tree"
                | "/api/v1/store/search"
                | "/api/v1/store/config"
                | "/api/v1/store/settings"
        )
}

fn classify(req: &Request) -> Kind {
    let path = req.uri().path();
    match *req.method() {
        Method::GET | Method::HEAD | Method::OPTIONS => {
            if req.method() == Method::GET && anonymous(req) && cacheable_rest_path(path) {
                let mut key = Vec::with_capacity(96);
                key.extend_from_slice(b"GET ");
                key.extend_from_slice(req.uri().to_string().as_bytes());
                key.push(b'\n');
                key.extend_from_slice(language(req));
                Kind::Read(Bytes::from(key))
            } else {
                Kind::Other
            }
        }
        Method::POST if path == "/graphql" => Kind::GraphqlPost,
        _ => Kind::Write,
    }
}

/// A GraphQL request body's effect: `Some(true)` when it is one query whose root fields are
/// all public catalog fields, `Some(false)` for other reads, `None` when it may write (a
/// mutation, a batch, anything unreadable).
fn graphql_body(body: &[u8]) -> Option<bool> {
    #[derive(serde::Deserialize)]
    struct Body {
        query: String,
        #[serde(rename = "operationName")]
        operation_name: Option<String>,
    }
    let req: Body = serde_json::from_slice(body).ok()?;
    let doc = async_graphql::parser::parse_query(&req.query).ok()?;
    let mut chosen = None;
    for (name, op) in doc.operations.iter() {
        if op.node.ty == OperationType::Mutation {
            return None;
        }
        if req.operation_name.is_none() || name.map(|n| n.as_str()) == req.operation_name.as_deref()
        {
            chosen = Some(op);
        }
    }
    let op = chosen?;
    if op.node.ty != OperationType::Query {
        return Some(false);
    }
    Some(
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|s| match &s.node {
                Selection::Field(f) => GRAPHQL_FIELDS.contains(&f.node.name.node.as_str()),
                _ => false,
            }),
    )
}

fn hit(entry: Entry) -> Response {
    let mut resp = (StatusCode::OK, entry.body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, entry.content_type);
    resp.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    resp
}

/// Runs the request; stores a plain 200 answer under `key`.
async fn miss(cache: &ResponseCache, key: Bytes, req: Request, next: Next) -> Response {
    let generation = cache.generation.load(Ordering::Acquire);
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) {
        return resp;
    }
    let Some(content_type) = resp.headers().get(header::CONTENT_TYPE).cloned() else {
        return resp;
    };
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ENTRY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // GraphQL reports errors beside data with 200: such answers are not kept.
    let has_errors = key.starts_with(b"POST") && bytes.windows(9).any(|w| w == b"\"errors\":");
    if !has_errors {
        cache.put(
            key,
            Entry {
                generation,
                content_type,
                body: bytes.clone(),
            },
        );
    }
    parts
        .headers
        .insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

/// The middleware.
pub async fn layer(State(cache): State<Arc<ResponseCache>>, req: Request, next: Next) -> Response {
    if !cache.enabled {
        return next.run(req).await;
    }
    match classify(&req) {
        Kind::Other => next.run(req).await,
        Kind::Write => {
            let resp = next.run(req).await;
            cache.invalidate();
            resp
        }
        Kind::Read(key) => {
            if !cache.active() {
                return next.run(req).await;
            }
            match cache.get(&key) {
                Some(e) => hit(e),
                None => miss(&cache, key, req, next).await,
            }
        }
        Kind::GraphqlPost => {
            let declared = req
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<usize>().ok());
            let json = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            if !json || declared.is_none_or(|n| n > MAX_KEY_BODY) {
                // Multipart uploads, large or streamed bodies: handled as possible writes.
                let resp = next.run(req).await;
                cache.invalidate();
                return resp;
            }
            let anon = anonymous(&req);
            let mut key = Vec::with_capacity(1024);
            key.extend_from_slice(b"POST /graphql\n");
            key.extend_from_slice(language(&req));
            key.push(b'\n');
            let (parts, body) = req.into_parts();
            let Ok(body) = axum::body::to_bytes(body, MAX_KEY_BODY).await else {
                return StatusCode::BAD_REQUEST.into_response();
            };
            key.extend_from_slice(&body);
            let key = Bytes::from(key);
            if anon
                && cache.active()
                && let Some(e) = cache.get(&key)
            {
                return hit(e);
            }
            let effect = graphql_body(&body);
            let req = Request::from_parts(parts, Body::from(body));
            match effect {
                Some(true) if anon && cache.active() => miss(&cache, key, req, next).await,
                Some(_) => next.run(req).await,
                None => {
                    let resp = next.run(req).await;
                    cache.invalidate();
                    resp
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::graphql_body;

    #[test]
    fn graphql_bodies_are_classified_by_operation_and_root_fields() {
        let q = |s: &str| graphql_body(s.as_bytes());
        assert_eq!(q(r#"{"query":"{ products { total } }"}"#), Some(true));
        assert_eq!(
            q(
                r#"{"query":"query A { products { total } } query B { me { id } }","operationName":"B"}"#
            ),
            Some(false)
        );
        assert_eq!(
            q(r#"{"query":"{ products { total } me { id } }"}"#),
            Some(false)
        );
        assert_eq!(q(r#"{"query":"mutation { logout }"}"#), None);
        assert_eq!(
            q(
                r#"{"query":"query A { products { total } } mutation B { logout }","operationName":"A"}"#
            ),
            None
        );
        assert_eq!(q(r#"[{"query":"{ products { total } }"}]"#), None);
        assert_eq!(q("not json"), None);
    }
}

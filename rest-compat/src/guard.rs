//! What the reference does for every `/api/v1` request before a handler runs: the global and
//! per-route rate limits, the Content-Type guard, and the CSRF double-submit check.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::RestAuth;
use crate::errors::RestError;
use crate::executor::write_error;
use crate::routes::routes;
use crate::table::Bucket;

/// Limits per minute (from `security.rate_limit.*`) and the CSRF cookie flag.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    pub global_per_minute: u32,
    pub login_per_minute: u32,
    pub register_per_minute: u32,
    pub checkout_per_minute: u32,
    pub guest_order_per_minute: u32,
    pub search_per_minute: u32,
    pub csrf_secure: bool,
}

struct Limiters {
    global: DefaultKeyedRateLimiter<IpAddr>,
    buckets: Vec<(Bucket, DefaultKeyedRateLimiter<IpAddr>)>,
}

fn limiter(per_minute: u32) -> DefaultKeyedRateLimiter<IpAddr> {
    RateLimiter::keyed(Quota::per_minute(
        NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN),
    ))
}

/// The bucket of a request, from the route table.
fn bucket_of(method: &Method, path: &str) -> Option<Bucket> {
    routes()
        .iter()
        .find(|r| r.method.method() == *method && r.path == path)
        .and_then(|r| r.bucket)
}

fn too_many(wait_secs: u64) -> Response {
    let mut e = RestError::new(429, "rate_limited", "too many requests, please retry later");
    e.retry_after = Some(wait_secs.max(1));
    write_error(&e)
}

fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Wraps the `/api/v1` router with rate limits, the Content-Type guard and CSRF.
pub fn protect(router: Router, auth: Arc<dyn RestAuth>, cfg: GuardConfig) -> Router {
    let limiters = Arc::new(Limiters {
        global: limiter(cfg.global_per_minute),
        buckets: vec![
            (Bucket::Login, limiter(cfg.login_per_minute)),
            (Bucket::Register, limiter(cfg.register_per_minute)),
            (Bucket::Checkout, limiter(cfg.checkout_per_minute)),
            (Bucket::GuestOrder, limiter(cfg.guest_order_per_minute)),
            (Bucket::Search, limiter(cfg.search_per_minute)),
        ],
    });
    let secure = cfg.csrf_secure;
    router.layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let limiters = limiters.clone();
            let auth = auth.clone();
            async move { guard(req, next, &limiters, auth.as_ref(), secure).await }
        },
    ))
}

async fn guard(
    req: Request,
    next: Next,
    limiters: &Limiters,
    auth: &dyn RestAuth,
    secure: bool,
) -> Response {
    // Rate limits, keyed by client address.
    let (parts, body) = req.into_parts();
    let ip = auth.client_ip(&parts);
    let req = Request::from_parts(parts, body);
    if let Some(ip) = ip {
        // The limiter's own clock: a fresh `DefaultClock` calibrates itself (costly per request).
        let clock = limiters.global.clock();
        if let Err(not_until) = limiters.global.check_key(&ip) {
            return too_many(not_until.wait_time_from(clock.now()).as_secs());
        }
        let matched = req
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|m| m.as_str().to_owned());
        let bucket = matched.and_then(|p| bucket_of(req.method(), &p));
        if let Some((_, l)) = bucket.and_then(|b| limiters.buckets.iter().find(|(k, _)| *k == b))
            && let Err(not_until) = l.check_key(&ip)
        {
            return too_many(not_until.wait_time_from(clock.now()).as_secs());
        }
    }

    // Content-Type: JSON or multipart only, for writes with a body.
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    let has_body = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > 0);
    if writes && has_body {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ct.is_empty()
            && !ct.starts_with("application/json")
            && !ct.starts_with("multipart/form-data")
        {
            return write_error(&RestError::new(
                415,
                "unsupported_media_type",
                "Content-Type must be application/json or multipart/form-data",
            ));
        }
    }

    // CSRF double-submit, only for requests that carry ambient credentials (cookies) and no
    // Authorization header.
    let has_auth = req.headers().contains_key(header::AUTHORIZATION);
    let has_cookies = req.headers().contains_key(header::COOKIE);
    let csrf_cookie = cookie(&req, "csrf_token").map(str::to_owned);
    let unsafe_method = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if !has_auth && has_cookies && unsafe_method {
        let sent = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let ok = csrf_cookie
            .as_deref()
            .is_some_and(|c| !c.is_empty() && constant_time_eq(c.as_bytes(), sent.as_bytes()));
        if !ok {
            return write_error(&RestError::new(
                403,
                "csrf_token_invalid",
                "CSRF token missing or invalid",
            ));
        }
    }
    let mut resp = next.run(req).await;
    if !has_auth && csrf_cookie.is_none() {
        let mut token = [0u8; 32];
        if getrandom::fill(&mut token).is_ok() {
            let flags = if secure { "; Secure" } else { "" };
            let value = format!(
                "csrf_token={}; Path=/; SameSite=Strict{flags}",
                hex::encode(token)
            );
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        *resp.body_mut() = axum::body::Body::empty();
        resp.headers_mut().remove(header::CONTENT_TYPE);
    }
    resp
}

//! Small global middleware: body limit, 404/405 in the Stoa envelope, the request span, and
//! the client address.

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use stoa_db::ipnetwork::IpNetwork;

use crate::app::App;

/// A body in the reference envelope: `{"errors":[{"code","detail"}]}` plus a newline.
pub fn stoa_error(status: StatusCode, code: &str, detail: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "code": code, "detail": detail }] });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body}\n"),
    )
        .into_response()
}

/// True for `multipart/form-data` requests (uploads).
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .get(..19)
                .is_some_and(|p| p.eq_ignore_ascii_case("multipart/form-data"))
        })
}

/// How far over the limit a declared body may be and still be read (and dropped) before
/// the 413, so that the client sees the answer instead of a reset connection.
const DRAIN_MAX: usize = 4 << 20;

/// Refuses bodies whose declared length exceeds `server.max_body_size`, or
/// `server.max_upload_size` for `multipart/form-data` uploads (413, JSON).
/// Handlers that read bodies enforce the same limit while reading chunked bodies.
pub async fn body_limit(State(app): State<App>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let limit = if is_multipart(req.headers()) {
        app.config.server.max_upload_size
    } else {
        app.config.server.max_body_size
    };
    let Some(n) = declared.filter(|n| *n > limit) else {
        return next.run(req).await;
    };
    let graphql = req.uri().path().starts_with("/graphql");
    // Closing a connection with unread data resets it, and the client would never see
    // the 413: a body a little over the limit is read and dropped first (bounded in size
    // and time).
    if n - limit <= DRAIN_MAX {
        let mut body = req.into_body().into_data_stream();
        let drain = async { while let Some(Ok(_)) = body.next().await {} };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), drain).await;
    }
    if graphql {
        let err = stoa_resolvers::ApiError::new(stoa_resolvers::ErrorCode::PayloadTooLarge);
        return crate::http::graphql::error_response(&err);
    }
    stoa_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "request body exceeds size limit",
    )
}

/// Unknown paths.
pub async fn not_found() -> Response {
    stoa_error(StatusCode::NOT_FOUND, "not_found", "resource not found")
}

/// Known paths with the wrong method.
pub async fn method_not_allowed() -> Response {
    stoa_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed",
    )
}

/// The span of one request, carrying the request id.
pub fn make_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("http", http.method = %req.method(), http.path = %req.uri().path(), request.id = %id)
}

/// The TCP peer of the request, when the server was started with connect info.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The client address: the peer, or — when the peer is a trusted proxy — the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_ip(peer: Peer, headers: &HeaderMap, trusted: &[IpNetwork]) -> Option<IpAddr> {
    let peer = peer.0?.ip();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    let hops: Vec<IpAddr> = forwarded
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    Some(
        hops.into_iter()
            .rev()
            .find(|ip| !is_trusted(*ip))
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_only_believed_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 10.0.0.2".parse().expect("header"),
        );
        let trusted: Vec<IpNetwork> = vec!["10.0.0.0/8".parse().expect("cidr")];
        let from_proxy = Peer(Some("10.0.0.1:4000".parse::<SocketAddr>().expect("addr")));
        let from_client = Peer(Some(
            "198.51.100.7:4000".parse::<SocketAddr>().expect("addr"),
        ));
        assert_eq!(
            client_ip(from_proxy, &h, &trusted),
            Some("203.0.113.9".parse().expect("ip"))
        );
        assert_eq!(
            client_ip(from_client, &h, &trusted),
            Some("198.51.100.7".parse().expect("ip"))
        );
        assert_eq!(
            client_ip(from_proxy, &h, &[]),
            Some("10.0.0.1".parse().expect("ip"))
        );
    }
}

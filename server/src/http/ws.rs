//! `GET /graphql/ws`: subscriptions over `graphql-transport-ws` and the legacy `graphql-ws`
//! protocol. The principal comes from the `connection_init` payload (`Authorization`).

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use stoa_resolvers::RequestMeta;

use super::middleware::{Peer, client_ip};
use crate::app::App;

fn auth_value(payload: &serde_json::Value) -> Option<String> {
    let pick = |v: &serde_json::Value| -> Option<String> {
        for k in ["Authorization", "authorization", "authToken", "token"] {
            if let Some(s) = v.get(k).and_then(|x| x.as_str()) {
                return Some(if s.contains(' ') {
                    s.to_owned()
                } else {
                    format!("Bearer {s}")
                });
            }
        }
        None
    };
    pick(payload).or_else(|| payload.get("headers").and_then(pick))
}

/// Upgrades and serves one subscription connection.
pub async fn handler(
    State(app): State<App>,
    peer: Peer,
    headers: axum::http::HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let schema = app.schema.clone();
    let meta = RequestMeta {
        ip: client_ip(peer, &headers, &app.trusted_proxies),
        channel: stoa_resolvers::state::Channel::Graphql,
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let header = auth_value(&payload);
                    let principal = app
                        .state
                        .auth
                        .authenticate(&app.state.pool, header.as_deref())
                        .await
                        .map_err(|e| {
                            async_graphql::Error::new(format!("{}: {}", e.code.as_str(), e.message))
                        })?;
                    let mut data = Data::default();
                    data.insert(principal);
                    data.insert(meta);
                    Ok(data)
                })
                .serve()
        })
        .into_response()
}

//! `GET /graphql/ws`: subscriptions over `graphql-transport-ws` and the legacy `graphql-ws`
//! protocol. The principal comes from the `connection_init` payload (`Authorization`).
//!
//! Subscriptions to a feed whose items do not depend on the caller (`orderEvents`) with the
//! same operation share the resolution of each event: one hub subscription resolves it, every
//! subscriber receives a copy of the response (see [`stoa_resolvers::events::Shared`]).

use std::sync::{Arc, Mutex};

use async_graphql::futures_util::stream::BoxStream;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use async_graphql::{Data, Executor, Request};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use stoa_resolvers::RequestMeta;
use stoa_resolvers::domain::auth::{Permission, Principal};
use stoa_resolvers::events::{EventBus, Joined, Shared};
use stoa_resolvers::state::Channel;
use tokio::sync::{broadcast, oneshot};

use super::middleware::{Peer, client_ip};
use crate::app::App;
use crate::schema::StoaSchema;

/// Read buffer of a connection. Clients send little (`connection_init`, `subscribe`,
/// `complete`, pings), so a small buffer that grows for a larger message keeps an idle
/// subscriber cheap (tungstenite's default is 128 KiB, zero-filled on every read).
const READ_BUFFER: usize = 4 * 1024;

/// Largest message a client may send (a subscription document with its variables).
const MAX_MESSAGE: usize = 1024 * 1024;

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

/// The root fields whose items do not depend on the caller once authorized.
const SHAREABLE: &[&str] = &["orderEvents"];

/// The schema as the WebSocket serves it: a subscription to a [`SHAREABLE`] feed joins the
/// hub of its operation; everything else runs as is.
#[derive(Clone)]
struct Feeds {
    schema: StoaSchema,
}

impl Executor for Feeds {
    async fn execute(&self, request: Request) -> async_graphql::Response {
        self.schema.execute(request).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        let session_data = session_data.unwrap_or_default();
        let Some(key) = shared_key(&request) else {
            return self
                .schema
                .execute_stream_with_session_data(request, session_data);
        };
        let (joined_tx, joined_rx) = oneshot::channel();
        let schema = self.schema.clone();
        let hub_request = (
            request.query.clone(),
            request.operation_name.clone(),
            request.variables.clone(),
        );
        let join = move |bus: &EventBus, session| {
            let joined = bus.join(&key, session, |events, out| {
                let (query, operation, variables) = hub_request;
                let mut request = Request::new(query).variables(variables);
                if let Some(operation) = operation {
                    request = request.operation_name(operation);
                }
                start_hub(&schema, request, events, out)
            });
            let _ = joined_tx.send(joined);
        };
        let request = request.data(Shared::Member(Mutex::new(Some(Box::new(join)))));
        let own = self
            .schema
            .execute_stream_with_session_data(request, session_data);
        member(own, joined_rx)
    }
}

/// The sharing key of a subscription to a [`SHAREABLE`] feed: its operation (document, name
/// and variables); none for any other request.
fn shared_key(request: &Request) -> Option<String> {
    if !request.extensions.is_empty() || !SHAREABLE.iter().any(|f| request.query.contains(f)) {
        return None;
    }
    let doc = async_graphql::parser::parse_query(&request.query).ok()?;
    let op = match (&doc.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), None) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
        _ => return None,
    };
    let [item] = op.node.selection_set.node.items.as_slice() else {
        return None;
    };
    let Selection::Field(field) = &item.node else {
        return None;
    };
    let shareable = op.node.ty == OperationType::Subscription
        && field.node.directives.is_empty()
        && SHAREABLE.contains(&field.node.name.node.as_str());
    if !shareable {
        return None;
    }
    serde_json::to_string(&(&request.query, &request.operation_name, &request.variables)).ok()
}

/// Starts the hub of an operation: it runs as an internal staff key that may read orders
/// (the feeds it serves only check that), on the events of `events`, and sends each
/// response to its members.
fn start_hub(
    schema: &StoaSchema,
    request: Request,
    events: broadcast::Receiver<Arc<stoa_db::models::orders::DomainEvent>>,
    out: broadcast::Sender<Arc<async_graphql::Response>>,
) -> tokio::task::AbortHandle {
    let mut data = Data::default();
    data.insert(Principal::StaffKey {
        key_id: uuid::Uuid::nil(),
        created_by: None,
        permissions: vec![Permission::OrdersRead],
    });
    data.insert(RequestMeta {
        ip: None,
        channel: Channel::Graphql,
    });
    let request = request.data(Shared::Hub(Mutex::new(Some(events))));
    let mut responses = schema.execute_stream_with_session_data(request, Arc::new(data));
    tokio::spawn(async move {
        while let Some(resp) = responses.next().await {
            // No member at the moment is fine: the hub stops when the last one leaves.
            let _ = out.send(Arc::new(resp));
        }
    })
    .abort_handle()
}

/// A member subscription: its own responses (authorization errors, `TOKEN_REVOKED`,
/// `TOKEN_EXPIRED`) come first; once it has joined its hub, the hub's responses.
fn member(
    own: BoxStream<'static, async_graphql::Response>,
    joining: oneshot::Receiver<Joined>,
) -> BoxStream<'static, async_graphql::Response> {
    enum Step {
        Own(Option<async_graphql::Response>),
        Joined(Option<Joined>),
        Hub(Option<Arc<async_graphql::Response>>),
    }
    struct State {
        own: BoxStream<'static, async_graphql::Response>,
        joining: Option<oneshot::Receiver<Joined>>,
        joined: Option<Joined>,
    }
    let state = State {
        own,
        joining: Some(joining),
        joined: None,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            let step = {
                let State {
                    own,
                    joining,
                    joined,
                } = &mut st;
                tokio::select! {
                    biased;
                    resp = own.next() => Step::Own(resp),
                    j = async {
                        match joining {
                            Some(rx) => rx.await.ok(),
                            None => std::future::pending().await,
                        }
                    } => Step::Joined(j),
                    resp = async {
                        match joined {
                            Some(j) => j.next().await,
                            None => std::future::pending().await,
                        }
                    } => Step::Hub(resp),
                }
            };
            match step {
                Step::Own(resp) => return resp.map(|r| (r, st)),
                Step::Joined(j) => {
                    st.joining = None;
                    st.joined = j;
                }
                Step::Hub(resp) => return resp.map(|r| (copy(&r), st)),
            }
        }
    })
    .boxed()
}

/// A member's copy of a hub response (`Response` is not `Clone`).
fn copy(resp: &async_graphql::Response) -> async_graphql::Response {
    let mut c = async_graphql::Response::new(resp.data.clone());
    c.extensions.clone_from(&resp.extensions);
    c.cache_control = resp.cache_control;
    c.errors.clone_from(&resp.errors);
    c.http_headers.clone_from(&resp.http_headers);
    c
}

/// Upgrades and serves one subscription connection.
pub async fn handler(
    State(app): State<App>,
    peer: Peer,
    headers: axum::http::HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let schema = Feeds {
        schema: app.schema.clone(),
    };
    let meta = RequestMeta {
        ip: client_ip(peer, &headers, &app.trusted_proxies),
        channel: stoa_resolvers::state::Channel::Graphql,
    };
    upgrade
        .read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
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

//! The session's sign-in against a small schema whose tokens the test controls: an expired
//! session token is renewed once even under concurrent calls, a failed renewal signs the
//! session out, and the admin kind refuses non-staff callers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::{Context, EmptySubscription, ErrorExtensions, Object, Schema, SimpleObject};
use serde_json::Value as Json;

use crate::auth::{CallContext, Caller, CallerKind, McpAuth};
use crate::error::ToolError;
use crate::server::McpServer;
use crate::table::{Hints, Operation, ServerKind, SessionEffect, ToolRow};

#[derive(SimpleObject)]
struct Tokens {
    access_token: String,
    refresh_token: String,
}

#[derive(Clone)]
struct Who(String);

struct Query;

#[Object]
impl Query {
    async fn whoami(&self, ctx: &Context<'_>) -> String {
        ctx.data_opt::<Who>()
            .map_or_else(|| "guest".to_owned(), |w| w.0.clone())
    }
}

struct Mutation;

#[Object]
impl Mutation {
    async fn login(&self) -> Tokens {
        Tokens {
            access_token: "expired-1".into(),
            refresh_token: "refresh-1".into(),
        }
    }

    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<Tokens> {
        let earlier = ctx
            .data_unchecked::<Arc<AtomicUsize>>()
            .fetch_add(1, Ordering::SeqCst);
        // Only `refresh-1` is valid, and only once (rotation); renewals run as guests.
        if refresh_token == "refresh-1" && earlier == 0 && ctx.data_opt::<Who>().is_none() {
            Ok(Tokens {
                access_token: "fresh-2".into(),
                refresh_token: "refresh-2".into(),
            })
        } else {
            Err(
                async_graphql::Error::new("token reuse detected").extend_with(|_, e| {
                    e.set("code", "TOKEN_REUSED");
                }),
            )
        }
    }
}

/// `fresh-*` tokens are valid customers, `expired-*` have expired, `staff` is staff.
struct FakeAuth;

#[async_trait::async_trait]
impl McpAuth for FakeAuth {
    async fn authenticate(
        &self,
        authorization: Option<&str>,
        _cx: &CallContext<'_>,
    ) -> Result<Caller, ToolError> {
        match authorization {
            None => Ok(Caller::new(CallerKind::Anonymous, |r| r)),
            Some("Bearer staff") => Ok(Caller::new(CallerKind::Staff, |r| {
                r.data(Who("staff".into()))
            })),
            Some(h) if h.starts_with("Bearer fresh-") => {
                let token = h.trim_start_matches("Bearer ").to_owned();
                Ok(Caller::new(CallerKind::Customer, move |r| {
                    r.data(Who(format!("customer with {token}")))
                }))
            }
            Some(h) if h.starts_with("Bearer expired-") => {
                Err(ToolError::new("TOKEN_EXPIRED", "token has expired"))
            }
            Some(_) => Err(ToolError::new("INVALID_TOKEN", "invalid token")),
        }
    }
}

static ROWS: &[ToolRow] = &[
    ToolRow {
        name: "t_login",
        description: "login",
        operation: Operation {
            path: "test/login.graphql",
            source: "mutation Login { login { accessToken refreshToken } }",
        },
        args: &[],
        hints: Hints::Write {
            destructive: false,
            idempotent: false,
        },
        session: SessionEffect::SignIn {
            access_token: "accessToken",
            refresh_token: "refreshToken",
            refresh: Operation {
                path: "test/refresh.graphql",
                source: "mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { accessToken refreshToken } }",
            },
        },
    },
    ToolRow {
        name: "t_whoami",
        description: "who am I",
        operation: Operation {
            path: "test/whoami.graphql",
            source: "query WhoAmI { whoami }",
        },
        args: &[],
        hints: Hints::ReadOnly,
        session: SessionEffect::None,
    },
];

type TestSchema = Schema<Query, Mutation, EmptySubscription>;

fn server(
    kind: ServerKind,
    authorization: Option<&str>,
) -> (McpServer<TestSchema>, Arc<AtomicUsize>) {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let schema = Schema::build(Query, Mutation, EmptySubscription)
        .data(refreshes.clone())
        .finish();
    let sdl = schema.sdl();
    let s = McpServer::with_rows(
        kind,
        ROWS,
        schema,
        &sdl,
        Arc::new(FakeAuth),
        authorization.map(str::to_owned),
    )
    .expect("server");
    (s, refreshes)
}

fn outcome(r: &rmcp::model::CallToolResult) -> Json {
    r.structured_content.clone().expect("structured")
}

#[tokio::test]
async fn an_expired_session_token_is_renewed_once_for_concurrent_calls() {
    let (server, refreshes) = server(ServerKind::Store, None);
    let session = server.session();
    let login = server.catalog().get("t_login").expect("tool").clone();
    let whoami = server.catalog().get("t_whoami").expect("tool").clone();
    assert_eq!(
        outcome(&session.call(&whoami, None, None).await)["whoami"],
        "guest"
    );
    let r = session.call(&login, None, None).await;
    assert_ne!(r.is_error, Some(true), "{r:?}");
    assert!(outcome(&r).get("accessToken").is_none());

    let (a, b) = tokio::join!(
        session.call(&whoami, None, None),
        session.call(&whoami, None, None)
    );
    for r in [a, b] {
        assert_eq!(outcome(&r)["whoami"], "customer with fresh-2", "{r:?}");
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one renewal");
    // Other sessions are not signed in.
    let other = server.session();
    assert_eq!(
        outcome(&other.call(&whoami, None, None).await)["whoami"],
        "guest"
    );
}

#[tokio::test]
async fn a_failed_renewal_signs_the_session_out() {
    let (server, refreshes) = server(ServerKind::Store, None);
    let session = server.session();
    let login = server.catalog().get("t_login").expect("tool").clone();
    let whoami = server.catalog().get("t_whoami").expect("tool").clone();
    session.call(&login, None, None).await;
    session.call(&whoami, None, None).await;
    // Sign in again with the same (now used) refresh token: the renewal is refused.
    session.call(&login, None, None).await;
    let r = session.call(&whoami, None, None).await;
    assert_eq!(r.is_error, Some(true));
    let e = outcome(&r);
    assert_eq!(e["errors"][0]["code"], "TOKEN_REUSED", "{e}");
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("signed out")),
        "{e}"
    );
    assert_eq!(refreshes.load(Ordering::SeqCst), 2);
    // Back to guest.
    assert_eq!(
        outcome(&session.call(&whoami, None, None).await)["whoami"],
        "guest"
    );
}

#[tokio::test]
async fn the_admin_kind_serves_staff_only() {
    let whoami = |s: &McpServer<TestSchema>| s.catalog().get("t_whoami").expect("tool").clone();
    let (guest, _) = server(ServerKind::Admin, None);
    let r = guest.session().call(&whoami(&guest), None, None).await;
    assert_eq!(outcome(&r)["errors"][0]["code"], "UNAUTHENTICATED");
    let (customer, _) = server(ServerKind::Admin, Some("Bearer fresh-9"));
    let r = customer
        .session()
        .call(&whoami(&customer), None, None)
        .await;
    assert_eq!(outcome(&r)["errors"][0]["code"], "FORBIDDEN");
    let (staff, _) = server(ServerKind::Admin, Some("Bearer staff"));
    let r = staff.session().call(&whoami(&staff), None, None).await;
    assert_eq!(outcome(&r)["whoami"], "staff");
}

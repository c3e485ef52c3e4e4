//! The plugin's REST row and MCP tool row, in the core tables' row types. The server adds
//! them to its tables at start-up (refusing overlapping REST paths and MCP tools not named
//! `store_order_guard_…` / `admin_order_guard_…`). Operation documents ship with the crate.

use stoa_mcp::table::{Hints, Operation, SessionEffect, ToolRow, bind};
use stoa_rest_compat::table::{AuthRule, Envelope, Family, QueryKind, Route, Var, Verb};

/// `GET /api/v1/admin/order-guard/log?limit=`.
pub static REST: &[Route] = &[Route {
    method: Verb::Get,
    path: "/api/v1/admin/order-guard/log",
    summary: "Plugin order_guard: the orders its checkout hook saw committed, newest first (orders.read)",
    auth: AuthRule::Staff,
    file: "plugins/example/operations/rest/log.graphql",
    document: include_str!("../operations/rest/log.graphql"),
    operation: "RestOrderGuardLog",
    vars: &[Var::Query {
        name: "limit",
        var: "limit",
        kind: QueryKind::Int,
    }],
    result: "orderGuardLog",
    envelope: Envelope::Data,
    status: 200,
    family: Family::Settings,
    errors: &[],
    bucket: None,
    response_schema: "OrderGuardLog",
    omit_null: &[],
    when_body_has: None,
    set_cookie: None,
}];

/// Tools of the admin MCP server.
pub static MCP_ADMIN: &[ToolRow] = &[ToolRow {
    name: "admin_order_guard_log",
    description: "List the orders the order_guard plugin saw committed (number, status, total), newest first.",
    operation: Operation {
        path: "plugins/example/operations/mcp/admin_log.graphql",
        source: include_str!("../operations/mcp/admin_log.graphql"),
    },
    args: &[bind("limit", "limit").doc("How many entries, 1 to 200 (default 50).")],
    hints: Hints::ReadOnly,
    session: SessionEffect::None,
}];

/// Tools of the store MCP server (none).
pub static MCP_STORE: &[ToolRow] = &[];

//! The tool tables of the two servers. Adding a tool is adding an operation file under
//! `schema/operations/mcp/` and a row here; schemas, conversion and output are derived.

use crate::operation;
use crate::table::{Hints, ServerKind, SessionEffect, ToolRow, bind, spread};

const READ: Hints = Hints::ReadOnly;
/// Creates something new; repeating it creates (or tries to create) another.
const ADD: Hints = Hints::Write {
    destructive: false,
    idempotent: false,
};
/// Overwrites existing values; repeating it with the same arguments changes nothing more.
const OVERWRITE: Hints = Hints::Write {
    destructive: true,
    idempotent: true,
};

/// The store server (`/mcp/store`, `stoa mcp store --stdio`).
pub static STORE: &[ToolRow] = &[
    ToolRow {
        name: "store_register",
        description: "Register a new customer account. Sign in afterwards with store_login.",
        operation: operation!("mcp/store/register.graphql"),
        args: &[
            bind("email", "input.email"),
            bind("password", "input.password").doc("The password, 8 to 128 characters."),
            bind("first_name", "input.firstName").doc("The customer's first name."),
            bind("last_name", "input.lastName").doc("The customer's last name."),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_login",
        description: "Login with email and password. On success this MCP session is signed in as \
                      the customer: later tools in the same session act as them (the tokens are \
                      kept by the server, not shown).",
        operation: operation!("mcp/store/login.graphql"),
        args: &[bind("email", "email"), bind("password", "password")],
        hints: ADD,
        session: SessionEffect::SignIn {
            access_token: "accessToken",
            refresh_token: "refreshToken",
            refresh: operation!("mcp/store/refresh_session.graphql"),
        },
    },
    ToolRow {
        name: "store_logout",
        description: "Sign this MCP session out: revokes its tokens; later tools act as a guest.",
        operation: operation!("mcp/store/logout.graphql"),
        args: &[],
        hints: OVERWRITE,
        session: SessionEffect::SignOut {
            refresh_token_var: "refreshToken",
        },
    },
    ToolRow {
        name: "store_get_account",
        description: "Get the current customer's account details. Requires authentication \
                      (store_login in this session, or a customer API key).",
        operation: operation!("mcp/store/get_account.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_update_account",
        description: "Update the current customer's name, email or password. Only pass fields \
                      you want to change. Requires authentication.",
        operation: operation!("mcp/store/update_account.graphql"),
        args: &[spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_settings",
        description: "Get the public store settings: name, description, currency, country, \
                      timezone, contact email, maintenance mode.",
        operation: operation!("mcp/store/get_settings.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
];

/// The admin server (`/mcp/admin`, `stoa mcp admin --stdio`).
pub static ADMIN: &[ToolRow] = &[
    ToolRow {
        name: "admin_list_audit_log",
        description: "List audit log entries showing all changes made to the shop, newest first.",
        operation: operation!("mcp/admin/list_audit_log.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page."),
            bind("entity_type", "entityType")
                .doc("Only entries about this entity type (e.g. `settings`, `api_key`)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_settings",
        description: "Get the store settings.",
        operation: operation!("mcp/admin/get_settings.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_settings",
        description: "Update the store settings. Only pass fields you want to change.",
        operation: operation!("mcp/admin/update_settings.graphql"),
        args: &[spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
];

/// The rows of a server.
pub fn rows(kind: ServerKind) -> &'static [ToolRow] {
    match kind {
        ServerKind::Store => STORE,
        ServerKind::Admin => ADMIN,
    }
}

/// Every operation the tables use (row operations and session refresh operations).
pub fn operations() -> Vec<crate::table::Operation> {
    let mut ops = Vec::new();
    for row in STORE.iter().chain(ADMIN) {
        ops.push(row.operation);
        if let SessionEffect::SignIn { refresh, .. } = row.session {
            ops.push(refresh);
        }
    }
    ops
}

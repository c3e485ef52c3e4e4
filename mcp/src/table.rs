//! The shape of a tool row: which operation a tool runs, how its arguments become the
//! operation's variables, its MCP annotations and its effect on the MCP session.
//!
//! Rows are data. The input schema, the argument conversion and the result formatting are
//! derived from the row, the operation document and the GraphQL schema (see
//! [`crate::catalog`]).

/// A GraphQL operation document: its path under `schema/operations/` and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub path: &'static str,
    pub source: &'static str,
}

/// An operation document under `schema/operations/`, embedded at compile time.
#[macro_export]
macro_rules! operation {
    ($path:literal) => {
        $crate::table::Operation {
            path: $path,
            source: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/operations/",
                $path
            )),
        }
    };
}

/// Which MCP server a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerKind {
    /// `/mcp/store`: shoppers (guests or signed-in customers).
    Store,
    /// `/mcp/admin`: staff users and staff API keys only.
    Admin,
}

impl ServerKind {
    /// `store` or `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Store => "store",
            Self::Admin => "admin",
        }
    }
}

/// How tool arguments map to operation variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// The argument `name` sets the variable or input field at `path`: `page` is the
    /// variable `$page`, `input.firstName` is the field `firstName` of the input-object
    /// variable `$input`. Type, required-ness, default and description come from the
    /// schema; `doc` replaces the description when the schema has none (or a worse one).
    Bind {
        name: &'static str,
        path: &'static str,
        doc: Option<&'static str>,
    },
    /// Every field of the input-object variable `var` becomes an argument named in
    /// snake_case (`storeName` → `store_name`). Fields that another argument of the row
    /// sets (a `Bind` of the same field, a `Translations` list) are left to that argument.
    Spread { var: &'static str },
    /// One argument `name` that sets several fields, each only when not given on its own:
    /// `fill("price", &["input.priceNet", "input.priceGross"])`. Its type is the first
    /// target's.
    Fill {
        name: &'static str,
        targets: &'static [&'static str],
        doc: Option<&'static str>,
    },
    /// The translation list at `path` (`input.translations`, a list of input objects with
    /// a `locale` field) as the argument `translations`, accepted as an array or as an
    /// object keyed by locale (`{"de-DE": {"name": …}}`); plus one argument per entry of
    /// `fields` (the item's fields, in snake_case: `name`, `slug`, `description`) that
    /// together become one translation in the store's default locale
    /// (`i18n.default_locale`) when `translations` is absent. `required`: a translation is
    /// needed even where the list's type is nullable (creates); a non-null list is always
    /// required.
    Translations {
        path: &'static str,
        fields: &'static [&'static str],
        required: bool,
    },
}

/// `Arg::Bind` without its own description.
pub const fn bind(name: &'static str, path: &'static str) -> Arg {
    Arg::Bind {
        name,
        path,
        doc: None,
    }
}

/// `Arg::Spread`.
pub const fn spread(var: &'static str) -> Arg {
    Arg::Spread { var }
}

/// `Arg::Fill` without its own description.
pub const fn fill(name: &'static str, targets: &'static [&'static str]) -> Arg {
    Arg::Fill {
        name,
        targets,
        doc: None,
    }
}

/// `Arg::Translations`, required only where the list's type is non-null.
pub const fn translations(path: &'static str, fields: &'static [&'static str]) -> Arg {
    Arg::Translations {
        path,
        fields,
        required: false,
    }
}

impl Arg {
    /// Gives a bound or filling argument its own description.
    pub const fn doc(self, doc: &'static str) -> Arg {
        match self {
            Arg::Bind { name, path, .. } => Arg::Bind {
                name,
                path,
                doc: Some(doc),
            },
            Arg::Fill { name, targets, .. } => Arg::Fill {
                name,
                targets,
                doc: Some(doc),
            },
            other => other,
        }
    }

    /// Makes a translation list required (at least one translation, from `translations`
    /// or the default-locale arguments) although its GraphQL type is nullable.
    pub const fn required(self) -> Arg {
        match self {
            Arg::Translations { path, fields, .. } => Arg::Translations {
                path,
                fields,
                required: true,
            },
            other => other,
        }
    }
}

/// What a tool does to the shop, as MCP tool annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hints {
    /// Reads only (`readOnlyHint`).
    ReadOnly,
    /// Writes. `destructive`: may overwrite or delete existing data (`destructiveHint`);
    /// `idempotent`: repeating the call with the same arguments changes nothing more
    /// (`idempotentHint`).
    Write { destructive: bool, idempotent: bool },
}

/// What a successful call does to the MCP session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEffect {
    None,
    /// The result carries tokens (fields `access_token` and `refresh_token` of the
    /// result object): later calls in this MCP session act with them. The tokens are
    /// withheld from the tool output. When the access token expires, `refresh` (an
    /// operation taking `$refreshToken: String!` and returning the same shape) renews it.
    SignIn {
        access_token: &'static str,
        refresh_token: &'static str,
        refresh: Operation,
    },
    /// Ends the session's sign-in; the session's refresh token is passed as the variable
    /// `refresh_token_var`.
    SignOut {
        refresh_token_var: &'static str,
    },
}

/// One tool.
#[derive(Debug, Clone, Copy)]
pub struct ToolRow {
    /// The tool name (the reference's names: `store_register`, `admin_list_audit_log`, …).
    pub name: &'static str,
    pub description: &'static str,
    /// The operation under `schema/operations/mcp/`.
    pub operation: Operation,
    pub args: &'static [Arg],
    pub hints: Hints,
    pub session: SessionEffect,
}

/// `camelCase` → `snake_case`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_graphql_names() {
        assert_eq!(snake_case("firstName"), "first_name");
        assert_eq!(snake_case("page"), "page");
        assert_eq!(
            snake_case("defaultBillingAddressId"),
            "default_billing_address_id"
        );
    }
}

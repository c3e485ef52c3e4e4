//! Tool errors: a code from Stoa's closed set (`extensions.code` of the GraphQL error), a
//! message safe for the client, optionally the input field.

use serde_json::{Value as Json, json};

/// An error a tool call reports to the MCP client (`isError: true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ToolError {
    /// An error with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }

    /// Names the input field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// `CODE: message` or `CODE (field): message`.
    pub fn line(&self) -> String {
        match &self.field {
            Some(f) => format!("{} ({f}): {}", self.code, self.message),
            None => format!("{}: {}", self.code, self.message),
        }
    }

    /// `{"code", "message", "field"?}`.
    pub fn to_json(&self) -> Json {
        let mut v = json!({ "code": self.code, "message": self.message });
        if let Some(f) = &self.field {
            v["field"] = Json::from(f.as_str());
        }
        v
    }

    /// The errors of a GraphQL response, with their codes.
    pub fn from_graphql(errors: &[async_graphql::ServerError]) -> Vec<Self> {
        errors
            .iter()
            .map(|e| {
                let ext = e.extensions.as_ref();
                let text = |k: &str| match ext.and_then(|x| x.get(k)) {
                    Some(async_graphql::Value::String(s)) => Some(s.clone()),
                    _ => None,
                };
                Self {
                    code: text("code").unwrap_or_else(|| "INTERNAL_ERROR".to_owned()),
                    message: e.message.clone(),
                    field: text("field"),
                }
            })
            .collect()
    }
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line())
    }
}

impl std::error::Error for ToolError {}

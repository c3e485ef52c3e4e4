//! Tool results: the operation's data as pretty JSON text plus the same value as structured
//! content, a one-line pagination summary for pages, and errors as tool errors.

use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Map, Value as Json, json};

use crate::error::ToolError;

/// The value a tool returns for `data`: the single root field's value when it is an
/// object, otherwise `data` itself (structured content must be an object).
pub fn unwrap_data(data: Json) -> Json {
    match data {
        Json::Object(map) if map.len() == 1 => {
            let (key, value) = map.into_iter().next().unwrap_or_default();
            if value.is_object() {
                value
            } else {
                let mut m = Map::new();
                m.insert(key, value);
                Json::Object(m)
            }
        }
        other => other,
    }
}

/// `Page P of N (total: T)` when the value is a page (`page`, `limit`, `total`).
pub fn pagination(value: &Json) -> Option<String> {
    let page = value.get("page")?.as_i64()?;
    let limit = value.get("limit")?.as_i64()?;
    let total = value.get("total")?.as_i64()?;
    let pages = if limit > 0 {
        ((total + limit - 1) / limit).max(1)
    } else {
        1
    };
    Some(format!("Page {page} of {pages} (total: {total})"))
}

/// A successful result; `note` is appended to the text (after the pagination summary).
pub fn success(value: Json, note: Option<&str>) -> CallToolResult {
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    if let Some(summary) = pagination(&value) {
        text.push_str("\n\n---\n");
        text.push_str(&summary);
    }
    if let Some(n) = note {
        text.push_str("\n\n");
        text.push_str(n);
    }
    let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
    r.structured_content = Some(value);
    r
}

/// An error result: one `CODE: message` line per error, and `{"errors": [...]}` as
/// structured content.
pub fn failure(errors: &[ToolError]) -> CallToolResult {
    let text = errors
        .iter()
        .map(ToolError::line)
        .collect::<Vec<_>>()
        .join("\n");
    let mut r = CallToolResult::error(vec![ContentBlock::text(text)]);
    r.structured_content = Some(json!({
        "errors": errors.iter().map(ToolError::to_json).collect::<Vec<_>>()
    }));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_object_root_is_unwrapped_and_scalars_keep_their_key() {
        assert_eq!(unwrap_data(json!({"account": {"id": 1}})), json!({"id": 1}));
        assert_eq!(
            unwrap_data(json!({"logout": true})),
            json!({"logout": true})
        );
    }

    #[test]
    fn pages_get_a_summary() {
        let v = json!({"items": [], "page": 2, "limit": 20, "total": 41});
        assert_eq!(pagination(&v).as_deref(), Some("Page 2 of 3 (total: 41)"));
        let empty = json!({"items": [], "page": 1, "limit": 20, "total": 0});
        assert_eq!(
            pagination(&empty).as_deref(),
            Some("Page 1 of 1 (total: 0)")
        );
        assert_eq!(pagination(&json!({"id": 1})), None);
        let r = success(v, None);
        let ContentBlock::Text(t) = &r.content[0] else {
            panic!("text content");
        };
        assert!(
            t.text.ends_with("\n\n---\nPage 2 of 3 (total: 41)"),
            "{}",
            t.text
        );
    }

    #[test]
    fn errors_carry_their_codes() {
        let r = failure(&[ToolError::new(
            "INVALID_CREDENTIALS",
            "invalid email or password",
        )]);
        assert_eq!(r.is_error, Some(true));
        let ContentBlock::Text(t) = &r.content[0] else {
            panic!("text content");
        };
        assert_eq!(t.text, "INVALID_CREDENTIALS: invalid email or password");
    }
}

//! Reshaping and encoding: the reference's envelope, Go's JSON encoding (HTML escaping, a
//! trailing newline), RFC 3339 timestamps with `Z`, and the named conversions rows refer to.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// Encodes like Go's `json.NewEncoder(w).Encode`: `<`, `>`, `&`, U+2028 and U+2029 escaped,
/// and a trailing newline.
pub fn encode(v: &Value) -> String {
    let raw = serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(raw.len() + 1);
    for ch in raw.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\n');
    out
}

/// A JSON response with the reference's encoding.
pub fn json(status: StatusCode, v: &Value) -> Response {
    let mut r = (status, encode(v)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// `{"errors":[{"code","detail","field"?}]}`.
pub fn error(status: StatusCode, code: &str, detail: &str, field: Option<&str>) -> Response {
    let mut e = Map::new();
    e.insert("code".into(), code.into());
    e.insert("detail".into(), detail.into());
    if let Some(f) = field.filter(|f| !f.is_empty()) {
        e.insert("field".into(), f.into());
    }
    json(status, &serde_json::json!({ "errors": [Value::Object(e)] }))
}

/// Rewrites GraphQL timestamps (`…+00:00`) of `*_at` fields (and the discounts'
/// `valid_from`/`valid_until`) the way Go prints `time.Time` (RFC 3339 with `Z`, fractional
/// seconds without trailing zeros).
pub fn normalize_timestamps(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, val) in m.iter_mut() {
                if k.ends_with("_at") || matches!(k.as_str(), "valid_from" | "valid_until") {
                    if let Value::String(s) = val
                        && let Ok(t) = chrono::DateTime::parse_from_rfc3339(s)
                    {
                        *s = go_time(&t.with_timezone(&chrono::Utc));
                    }
                } else {
                    normalize_timestamps(val);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize_timestamps),
        _ => {}
    }
}

/// Floats without a fractional part become integers (`200.0` → `200`), as Go's
/// `encoding/json` prints a `float64` (attribute `value_numeric`).
pub fn integral_floats(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 1e15
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Object(m) => m.values_mut().for_each(integral_floats),
        Value::Array(a) => a.iter_mut().for_each(integral_floats),
        _ => {}
    }
}

/// Go's RFC3339Nano for a UTC time.
pub fn go_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = t.timestamp_subsec_nanos();
    if nanos == 0 {
        return format!("{base}Z");
    }
    let frac = format!("{nanos:09}");
    format!("{base}.{}Z", frac.trim_end_matches('0'))
}

/// The API-key creation answer: the key's fields and the secret, keys sorted (the reference
/// answers a Go map).
pub fn created_key(v: Value) -> Value {
    let mut out: Vec<(String, Value)> = Vec::new();
    if let Value::Object(m) = &v {
        if let Some(Value::Object(k)) = m.get("apiKey") {
            out.extend(k.iter().map(|(a, b)| (a.clone(), b.clone())));
        }
        if let Some(secret) = m.get("key") {
            out.push(("key".into(), secret.clone()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(out.into_iter().collect())
}

/// API-key lists: `key_type` in the reference's lower case (`admin`, `store`).
pub fn api_key_list(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|mut k| {
                    if let Some(Value::String(t)) = k.get_mut("key_type") {
                        *t = t.to_lowercase();
                    }
                    k
                })
                .collect(),
        ),
        other => other,
    }
}

/// Drops the listed fields where they are null or empty lists, at any depth.
pub fn omit_null(v: &mut Value, fields: &[&str]) {
    if fields.is_empty() {
        return;
    }
    match v {
        Value::Object(m) => {
            m.retain(|k, val| {
                let empty = val.is_null() || val.as_array().is_some_and(Vec::is_empty);
                !(empty && fields.contains(&k.as_str()))
            });
            m.values_mut().for_each(|x| omit_null(x, fields));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| omit_null(x, fields)),
        _ => {}
    }
}

/// The category tree: the single translation becomes a one-element `translations` list (or
/// is omitted), an empty description and empty `children` are omitted, and timestamps have
/// second precision (the reference formats categories with `time.RFC3339`).
pub fn category_tree(v: Value) -> Value {
    fn node(mut n: Value) -> Value {
        if let Value::Object(m) = &mut n {
            if let Some(Value::Object(mut t)) = m.shift_remove("translations") {
                if t.get("description").and_then(Value::as_str) == Some("") {
                    t.shift_remove("description");
                }
                m.insert("translations".into(), Value::Array(vec![Value::Object(t)]));
            }
            for key in ["created_at", "updated_at"] {
                if let Some(Value::String(s)) = m.get_mut(key)
                    && let Ok(t) = chrono::DateTime::parse_from_rfc3339(s)
                {
                    *s = t
                        .with_timezone(&chrono::Utc)
                        .format("%Y-%m-%dT%H:%M:%SZ")
                        .to_string();
                }
            }
            let children = m.shift_remove("children");
            if let Some(Value::Array(c)) = children
                && !c.is_empty()
            {
                m.insert(
                    "children".into(),
                    Value::Array(c.into_iter().map(node).collect()),
                );
            }
            if m.get("parent_id").is_some_and(Value::is_null) {
                m.shift_remove("parent_id");
            }
        }
        n
    }
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(node).collect()),
        other => other,
    }
}

/// Puts the keys of every object in the order of the operation's selection set (async-graphql
/// emits fields in completion order), so REST bodies have the reference's field order.
pub fn order_by_selection(
    v: &mut Value,
    set: &async_graphql::parser::types::SelectionSet,
    doc: &async_graphql::parser::types::ExecutableDocument,
) {
    use async_graphql::parser::types::Selection;
    fn keys<'a>(
        set: &'a async_graphql::parser::types::SelectionSet,
        doc: &'a async_graphql::parser::types::ExecutableDocument,
        out: &mut Vec<(String, &'a async_graphql::parser::types::SelectionSet)>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    let key = f
                        .alias
                        .as_ref()
                        .map_or_else(|| f.name.node.to_string(), |a| a.node.to_string());
                    out.push((key, &f.selection_set.node));
                }
                Selection::FragmentSpread(s) => {
                    if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                        keys(&frag.node.selection_set.node, doc, out);
                    }
                }
                Selection::InlineFragment(i) => keys(&i.node.selection_set.node, doc, out),
            }
        }
    }
    match v {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|x| order_by_selection(x, set, doc)),
        Value::Object(m) => {
            let mut wanted = Vec::new();
            keys(set, doc, &mut wanted);
            let mut old = std::mem::take(m);
            for (key, sub) in wanted {
                if let Some(mut val) = old.shift_remove(&key) {
                    order_by_selection(&mut val, sub, doc);
                    m.insert(key, val);
                }
            }
            m.extend(old);
        }
        _ => {}
    }
}

/// `first_name` → `firstName`.
pub fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for ch in s.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `firstName` → `FirstName` (the reference names validation fields after Go struct fields).
pub fn pascal(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_encoding() {
        let v = serde_json::json!({"b": "<a&b>", "a": 1});
        assert_eq!(encode(&v), "{\"b\":\"\\u003ca\\u0026b\\u003e\",\"a\":1}\n");
    }

    #[test]
    fn timestamps_like_go() {
        let mut v = serde_json::json!({"created_at": "2026-03-27T10:15:02.123400+00:00", "x": {"updated_at": "2026-03-27T10:15:02+00:00"}, "name_at_x": "keep"});
        normalize_timestamps(&mut v);
        assert_eq!(v["created_at"], "2026-03-27T10:15:02.1234Z");
        assert_eq!(v["x"]["updated_at"], "2026-03-27T10:15:02Z");
    }

    #[test]
    fn integral_floats_print_like_go() {
        let mut v = serde_json::json!({"a": [200.0, 0.5, -3.0, 7], "b": {"c": 12.25}});
        integral_floats(&mut v);
        assert_eq!(
            serde_json::to_string(&v).expect("json"),
            r#"{"a":[200,0.5,-3,7],"b":{"c":12.25}}"#
        );
    }

    #[test]
    fn created_key_is_sorted() {
        let v = serde_json::json!({"key": "ck_x", "apiKey": {"name": "n", "id": "1", "created_at": "t"}});
        let out = created_key(v);
        let keys: Vec<&String> = out.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["created_at", "id", "key", "name"]);
    }

    #[test]
    fn case_conversions() {
        assert_eq!(camel("first_name"), "firstName");
        assert_eq!(camel("email"), "email");
        assert_eq!(pascal("firstName"), "FirstName");
    }
}

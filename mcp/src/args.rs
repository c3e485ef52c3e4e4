//! Tool arguments → operation variables: checks each value against its GraphQL type (so a
//! wrong argument is a `VALIDATION_ERROR` naming it, not an engine error) and renames
//! nested input-object keys from snake_case back to the schema's names.

use async_graphql::parser::types::{BaseType, Type};
use serde_json::{Map, Value as Json};

use crate::catalog::{Role, ToolSpec};
use crate::error::ToolError;
use crate::sdl::{SchemaIndex, TypeDef, named};
use crate::table::snake_case;

fn invalid(field: &str, message: impl Into<String>) -> ToolError {
    ToolError::new("VALIDATION_ERROR", message).field(field)
}

/// Converts the call's arguments into the operation's variables. `default_locale` is the
/// store's default locale; it is needed only when the call uses default-locale translation
/// arguments (see [`ToolSpec::needs_default_locale`]).
pub fn to_variables(
    spec: &ToolSpec,
    schema: &SchemaIndex,
    args: Option<Map<String, Json>>,
    default_locale: Option<&str>,
) -> Result<Map<String, Json>, ToolError> {
    let args = args.unwrap_or_default();
    let mut vars = Map::new();
    let mut fills: Vec<(&[Vec<String>], Json)> = Vec::new();
    // Per translation group: (argument, item field, value), in argument order.
    let mut texts: Vec<Vec<(&str, &str, Json)>> = vec![Vec::new(); spec.translations.len()];
    for (name, value) in args {
        let Some(param) = spec.params.iter().find(|p| p.name == name) else {
            let known: Vec<&str> = spec.params.iter().map(|p| p.name.as_str()).collect();
            let hint = if known.is_empty() {
                "this tool takes no arguments".to_owned()
            } else {
                format!("known arguments: {}", known.join(", "))
            };
            return Err(invalid(&name, format!("unknown argument `{name}`; {hint}")));
        };
        match &param.role {
            Role::Set => {
                let value = coerce(schema, &param.ty, value, &name)?;
                insert(&mut vars, &param.target, value);
            }
            Role::Fill(targets) => {
                let value = coerce(schema, &param.ty, value, &name)?;
                if !value.is_null() {
                    fills.push((targets, value));
                }
            }
            Role::Translations { .. } => {
                let value = translation_list(schema, &param.ty, value, &name)?;
                insert(&mut vars, &param.target, value);
            }
            Role::TranslationField { group, field } => {
                let value = coerce(schema, &param.ty, value, &name)?;
                if let Some(g) = texts.get_mut(*group) {
                    g.push((param.name.as_str(), field.as_str(), value));
                }
            }
        }
    }
    for (targets, value) in fills {
        for t in targets {
            if lookup(&vars, t).is_none_or(Json::is_null) {
                insert(&mut vars, t, value.clone());
            }
        }
    }
    for (tr, given) in spec.translations.iter().zip(texts) {
        let listed = lookup(&vars, &tr.list).is_some_and(|v| !v.is_null());
        if let Some((arg, _, _)) = given.first() {
            if listed {
                return Err(invalid(
                    arg,
                    format!("give either `translations` or {}, not both", tr.arg_list()),
                ));
            }
            for (arg, required) in tr.fields.iter().map(|(a, _, r)| (a, r)) {
                if *required
                    && !given
                        .iter()
                        .any(|(a, _, v)| *a == arg.as_str() && !v.is_null())
                {
                    return Err(invalid(
                        arg,
                        format!(
                            "`{arg}` is required with {} (or give `translations`)",
                            tr.arg_list()
                        ),
                    ));
                }
            }
            let Some(locale) = default_locale else {
                tracing::error!(tool = spec.row.name, "no default locale for translations");
                return Err(ToolError::new(
                    "INTERNAL_ERROR",
                    "an unexpected error occurred",
                ));
            };
            let mut item = Map::new();
            item.insert("locale".into(), Json::from(locale));
            for (_, field, value) in given {
                if !value.is_null() {
                    item.insert(field.to_owned(), value);
                }
            }
            insert(&mut vars, &tr.list, Json::Array(vec![Json::Object(item)]));
        } else if tr.required && !listed {
            let first = tr.fields.first().map_or("translations", |(a, _, _)| a);
            return Err(invalid(
                first,
                format!("`{first}` is required (or give `translations`)"),
            ));
        }
    }
    for p in &spec.params {
        if p.required && p.role == Role::Set && lookup(&vars, &p.target).is_none() {
            return Err(invalid(&p.name, format!("`{}` is required", p.name)));
        }
    }
    for obj in &spec.required_objects {
        vars.entry(obj.clone())
            .or_insert_with(|| Json::Object(Map::new()));
    }
    Ok(vars)
}

/// A translation list given as an array, or as an object keyed by locale
/// (`{"de-DE": {"name": …}}` → `[{"locale": "de-DE", "name": …}]`).
fn translation_list(
    schema: &SchemaIndex,
    ty: &Type,
    value: Json,
    at: &str,
) -> Result<Json, ToolError> {
    let Json::Object(by_locale) = value else {
        return coerce(schema, ty, value, at);
    };
    let BaseType::List(item_ty) = &ty.base else {
        return coerce(schema, ty, Json::Object(by_locale), at);
    };
    let mut items = Vec::with_capacity(by_locale.len());
    for (locale, texts) in by_locale {
        let key = format!("{at}.{locale}");
        let Json::Object(mut texts) = texts else {
            return Err(invalid(
                &key,
                format!("`{key}` must be an object of texts, not {}", kind(&texts)),
            ));
        };
        match texts.get("locale") {
            None => {}
            Some(Json::String(l)) if *l == locale => {}
            Some(_) => {
                return Err(invalid(
                    &format!("{key}.locale"),
                    format!("`{key}.locale` differs from its key `{locale}`"),
                ));
            }
        }
        texts.insert("locale".into(), Json::from(locale));
        items.push(coerce(schema, item_ty, Json::Object(texts), &key)?);
    }
    Ok(Json::Array(items))
}

/// Arguments that pass [`to_variables`] (and so reach the operation): an example of every
/// required argument and, for a required translation list, one translation. For tests that
/// run every tool.
pub fn example_arguments(spec: &ToolSpec, schema: &SchemaIndex) -> Map<String, Json> {
    let mut args: Map<String, Json> = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.name.clone(), example(schema, &p.ty)))
        .collect();
    for tr in spec.translations.iter().filter(|t| t.required) {
        let mut item = example(schema, &tr.item);
        if let Some(o) = item.as_object_mut() {
            o.insert("locale".into(), Json::from("en-US"));
        }
        args.insert("translations".into(), Json::Array(vec![item]));
    }
    args
}

fn insert(vars: &mut Map<String, Json>, target: &[String], value: Json) {
    let Some((last, path)) = target.split_last() else {
        return;
    };
    let mut cur = vars;
    for seg in path {
        let entry = cur
            .entry(seg.clone())
            .or_insert_with(|| Json::Object(Map::new()));
        if !entry.is_object() {
            *entry = Json::Object(Map::new());
        }
        let Json::Object(next) = entry else {
            return;
        };
        cur = next;
    }
    cur.insert(last.clone(), value);
}

fn lookup<'a>(vars: &'a Map<String, Json>, target: &[String]) -> Option<&'a Json> {
    let (first, rest) = target.split_first()?;
    let mut cur = vars.get(first)?;
    for seg in rest {
        cur = cur.as_object()?.get(seg)?;
    }
    Some(cur)
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Checks `value` against `ty`; `at` names the argument (`first_name`, `items[0].sku`).
pub fn coerce(schema: &SchemaIndex, ty: &Type, value: Json, at: &str) -> Result<Json, ToolError> {
    if value.is_null() {
        return if ty.nullable {
            Ok(Json::Null)
        } else {
            Err(invalid(at, format!("`{at}` must not be null")))
        };
    }
    if let BaseType::List(inner) = &ty.base {
        return match value {
            Json::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| coerce(schema, inner, v, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Json::Array),
            // GraphQL input coercion: a single value stands for a list of one.
            other => Ok(Json::Array(vec![coerce(schema, inner, other, at)?])),
        };
    }
    let name = named(ty);
    let mismatch =
        |want: &str, v: &Json| invalid(at, format!("`{at}` must be {want}, not {}", kind(v)));
    match (name, schema.get(name)) {
        ("Int", _) => match value.as_f64() {
            Some(f) if f.fract() == 0.0 && f >= f64::from(i32::MIN) && f <= f64::from(i32::MAX) => {
                // Integral and in range, so the conversion is exact.
                Ok(Json::from(f as i32))
            }
            Some(_) => Err(invalid(at, format!("`{at}` must be a 32-bit integer"))),
            None => Err(mismatch("an integer", &value)),
        },
        ("Float", _) if value.is_number() => Ok(value),
        ("Float", _) => Err(mismatch("a number", &value)),
        ("Boolean", _) if value.is_boolean() => Ok(value),
        ("Boolean", _) => Err(mismatch("a boolean", &value)),
        ("ID", _) if value.is_string() || value.is_i64() || value.is_u64() => Ok(value),
        ("ID", _) => Err(mismatch("a string", &value)),
        ("JSON", _) => Ok(value),
        (_, Some(TypeDef::Enum { values, .. })) => {
            let s = value.as_str().ok_or_else(|| mismatch("a string", &value))?;
            values
                .iter()
                .find(|v| v.eq_ignore_ascii_case(s))
                .map(|v| Json::from(v.as_str()))
                .ok_or_else(|| invalid(at, format!("`{at}` must be one of {}", values.join(", "))))
        }
        (_, Some(TypeDef::Input { fields, .. })) => {
            let Json::Object(map) = value else {
                return Err(mismatch("an object", &value));
            };
            let mut out = Map::new();
            for (k, v) in map {
                let field = fields
                    .iter()
                    .find(|f| snake_case(&f.name) == k || f.name == k)
                    .ok_or_else(|| {
                        let known: Vec<String> =
                            fields.iter().map(|f| snake_case(&f.name)).collect();
                        invalid(
                            &format!("{at}.{k}"),
                            format!("unknown field `{k}` in `{at}`; known: {}", known.join(", ")),
                        )
                    })?;
                let key = format!("{at}.{}", snake_case(&field.name));
                out.insert(field.name.clone(), coerce(schema, &field.ty, v, &key)?);
            }
            for f in fields {
                if !f.ty.nullable && f.default.is_none() && !out.contains_key(&f.name) {
                    let key = format!("{at}.{}", snake_case(&f.name));
                    return Err(invalid(&key, format!("`{key}` is required")));
                }
            }
            Ok(Json::Object(out))
        }
        // String and custom scalars (UUID, DateTime, …) travel as strings; the schema
        // checks their format.
        (_, Some(TypeDef::Scalar { .. })) if value.is_string() => Ok(value),
        (_, Some(TypeDef::Scalar { .. })) => Err(mismatch("a string", &value)),
        _ => Err(ToolError::new(
            "INTERNAL_ERROR",
            format!("argument `{at}` has an unsupported type"),
        )),
    }
}

/// A value of the type that passes [`coerce`] (for generated examples and tests).
pub fn example(schema: &SchemaIndex, ty: &Type) -> Json {
    if let BaseType::List(inner) = &ty.base {
        return Json::Array(vec![example(schema, inner)]);
    }
    let name = named(ty);
    match (name, schema.get(name)) {
        ("Int", _) => Json::from(1),
        ("Float", _) => Json::from(1.5),
        ("Boolean", _) => Json::from(true),
        ("UUID", _) => Json::from("00000000-0000-0000-0000-000000000000"),
        ("DateTime", _) => Json::from("2024-01-01T00:00:00Z"),
        ("JSON", _) => Json::Object(Map::new()),
        (_, Some(TypeDef::Enum { values, .. })) => values
            .first()
            .map_or(Json::Null, |v| Json::from(v.as_str())),
        (_, Some(TypeDef::Input { fields, .. })) => Json::Object(
            fields
                .iter()
                .filter(|f| !f.ty.nullable && f.default.is_none())
                .map(|f| (snake_case(&f.name), example(schema, &f.ty)))
                .collect(),
        ),
        _ => Json::from("example@example.com"),
    }
}

//! The OpenAPI 3.1 document, generated from the route table and the GraphQL types: request
//! bodies from each operation's variables and input types, responses from each operation's
//! selection set (aliases are the REST field names), wrapped in the row's envelope.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_graphql::Executor;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet, Type,
};
use serde_json::{Map, Value, json};

use crate::shape::camel;
use crate::table::{AuthRule, Default, Envelope, QueryKind, Route, Var};

const INTROSPECTION: &str = r"
query OpenApiTypes {
  __schema {
    queryType { name }
    mutationType { name }
    types {
      name kind description
      fields { name description type { ...T } }
      inputFields { name description defaultValue type { ...T } }
    }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
";

/// Type information from introspection.
struct Types {
    query: String,
    mutation: String,
    by_name: HashMap<String, Value>,
}

impl Types {
    fn field_type(&self, parent: &str, field: &str, key: &str) -> Option<(Value, Option<String>)> {
        let t = self.by_name.get(parent)?;
        let f = t
            .get(key)?
            .as_array()?
            .iter()
            .find(|f| f["name"] == field)?;
        Some((
            f["type"].clone(),
            f["description"].as_str().map(str::to_owned),
        ))
    }
}

async fn introspect<E: Executor>(executor: &E) -> Result<Types, String> {
    let resp = executor
        .execute(async_graphql::Request::new(INTROSPECTION))
        .await;
    if let Some(e) = resp.errors.first() {
        return Err(e.message.clone());
    }
    let data = serde_json::to_value(&resp.data).map_err(|e| e.to_string())?;
    let s = &data["__schema"];
    let by_name = s["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| Some((t["name"].as_str()?.to_owned(), t.clone())))
        .collect();
    Ok(Types {
        query: s["queryType"]["name"]
            .as_str()
            .unwrap_or("Query")
            .to_owned(),
        mutation: s["mutationType"]["name"]
            .as_str()
            .unwrap_or("Mutation")
            .to_owned(),
        by_name,
    })
}

fn nullable(schema: Value) -> Value {
    match schema.get("type") {
        Some(Value::String(t)) => {
            let mut s = schema.clone();
            s["type"] = json!([t, "null"]);
            s
        }
        _ => json!({ "anyOf": [schema, { "type": "null" }] }),
    }
}

fn scalar(name: &str) -> Value {
    match name {
        "String" | "ID" => json!({"type": "string"}),
        "Int" => json!({"type": "integer"}),
        "Float" => json!({"type": "number"}),
        "Boolean" => json!({"type": "boolean"}),
        "UUID" => json!({"type": "string", "format": "uuid"}),
        "DateTime" => json!({"type": "string", "format": "date-time"}),
        _ => json!({}),
    }
}

/// Schema of an introspected type reference; `nested` builds object types.
fn from_type_ref(t: &Value, types: &Types, nested: &dyn Fn(&str) -> Value) -> Value {
    fn inner(t: &Value, types: &Types, nested: &dyn Fn(&str) -> Value) -> Value {
        match t["kind"].as_str() {
            Some("NON_NULL") => inner(&t["ofType"], types, nested),
            Some("LIST") => {
                json!({"type": "array", "items": from_type_ref(&t["ofType"], types, nested)})
            }
            Some("OBJECT" | "INPUT_OBJECT") => nested(t["name"].as_str().unwrap_or_default()),
            Some("ENUM") => json!({"type": "string"}),
            _ => scalar(t["name"].as_str().unwrap_or_default()),
        }
    }
    let s = inner(t, types, nested);
    if t["kind"] == "NON_NULL" {
        s
    } else {
        nullable(s)
    }
}

fn named_type(t: &Value) -> String {
    let mut t = t;
    while t["ofType"].is_object() {
        t = &t["ofType"];
    }
    t["name"].as_str().unwrap_or_default().to_owned()
}

fn selection_schema(
    set: &SelectionSet,
    parent: &str,
    doc: &ExecutableDocument,
    types: &Types,
    omit: &[&str],
) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    collect(set, parent, doc, types, omit, &mut props, &mut required);
    json!({ "type": "object", "properties": props, "required": required })
}

fn collect(
    set: &SelectionSet,
    parent: &str,
    doc: &ExecutableDocument,
    types: &Types,
    omit: &[&str],
    props: &mut Map<String, Value>,
    required: &mut Vec<String>,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let key = f
                    .alias
                    .as_ref()
                    .map_or_else(|| f.name.node.to_string(), |a| a.node.to_string());
                let Some((t, description)) = types.field_type(parent, &f.name.node, "fields")
                else {
                    continue;
                };
                let child = named_type(&t);
                let sub = &f.selection_set.node;
                let mut schema = from_type_ref(&t, types, &|_| {
                    selection_schema(sub, &child, doc, types, omit)
                });
                if let (Some(d), Value::Object(m)) = (description, &mut schema) {
                    m.insert("description".into(), d.into());
                }
                if !omit.contains(&key.as_str()) {
                    required.push(key.clone());
                }
                props.insert(key, schema);
            }
            Selection::FragmentSpread(s) => {
                if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                    collect(
                        &frag.node.selection_set.node,
                        parent,
                        doc,
                        types,
                        omit,
                        props,
                        required,
                    );
                }
            }
            Selection::InlineFragment(i) => collect(
                &i.node.selection_set.node,
                parent,
                doc,
                types,
                omit,
                props,
                required,
            ),
        }
    }
}

fn var_type_schema(t: &Type, types: &Types, fields: Option<&[&str]>) -> Value {
    let s = match &t.base {
        BaseType::List(inner) => {
            json!({"type": "array", "items": var_type_schema(inner, types, None)})
        }
        BaseType::Named(n) => match types
            .by_name
            .get(n.as_str())
            .and_then(|t| t["kind"].as_str())
        {
            Some("INPUT_OBJECT") => input_schema(n, types, fields),
            Some("ENUM") => json!({"type": "string"}),
            _ => scalar(n),
        },
    };
    if t.nullable { nullable(s) } else { s }
}

/// An input object as a snake_case JSON body, limited to the row's fields.
fn input_schema(name: &str, types: &Types, fields: Option<&[&str]>) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    let Some(list) = types
        .by_name
        .get(name)
        .and_then(|t| t["inputFields"].as_array())
    else {
        return json!({"type": "object"});
    };
    for snake in fields.unwrap_or_default() {
        let Some(f) = list.iter().find(|f| f["name"] == camel(snake)) else {
            continue;
        };
        let mut s = from_type_ref(&f["type"], types, &|n| input_schema(n, types, None));
        if let (Some(d), Value::Object(m)) = (f["description"].as_str(), &mut s) {
            m.insert("description".into(), d.into());
        }
        if f["type"]["kind"] == "NON_NULL" {
            required.push(snake.to_string());
        }
        props.insert((*snake).to_owned(), s);
    }
    json!({ "type": "object", "properties": props, "required": required })
}

/// `priceNet` → `price_net`.
fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A variable's type with every input field (snake_case) at every depth ([`Var::BodyWith`]).
fn full_type_schema(t: &Type, types: &Types) -> Value {
    let s = match &t.base {
        BaseType::List(inner) => json!({"type": "array", "items": full_type_schema(inner, types)}),
        BaseType::Named(n) => match types
            .by_name
            .get(n.as_str())
            .and_then(|t| t["kind"].as_str())
        {
            Some("INPUT_OBJECT") => full_input_schema(n, types, 0),
            Some("ENUM") => json!({"type": "string"}),
            _ => scalar(n),
        },
    };
    if t.nullable { nullable(s) } else { s }
}

/// An input object with all its fields, snake_case; required = non-null without a default.
fn full_input_schema(name: &str, types: &Types, depth: usize) -> Value {
    let Some(list) = types
        .by_name
        .get(name)
        .and_then(|t| t["inputFields"].as_array())
        .filter(|_| depth < 8)
    else {
        return json!({"type": "object"});
    };
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in list {
        let field = snake(f["name"].as_str().unwrap_or_default());
        let mut s = from_type_ref(&f["type"], types, &|n| {
            full_input_schema(n, types, depth + 1)
        });
        if let (Some(d), Value::Object(m)) = (f["description"].as_str(), &mut s) {
            m.insert("description".into(), d.into());
        }
        if f["type"]["kind"] == "NON_NULL" && f["defaultValue"].is_null() {
            required.push(field.clone());
        }
        props.insert(field, s);
    }
    json!({ "type": "object", "properties": props, "required": required })
}

fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: &str,
) -> Option<&'a async_graphql::parser::types::OperationDefinition> {
    match &doc.operations {
        DocumentOperations::Single(op) => Some(&op.node),
        DocumentOperations::Multiple(m) => m
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, v)| &v.node),
    }
}

fn error_ref() -> Value {
    json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn wrap(route: &Route, result: Value) -> Value {
    let data = match route.envelope {
        Envelope::Data => result,
        Envelope::Message(_) => {
            json!({"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]})
        }
        Envelope::Converted(_) if route.response_schema.starts_with("Created") => {
            // The created key's fields plus the secret, keys sorted.
            let inner = result["properties"]["apiKey"].clone();
            let mut props: BTreeMap<String, Value> = inner["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            props.insert(
                "key".into(),
                json!({"type": "string", "description": "The secret; shown once."}),
            );
            let required: Vec<&String> = props.keys().collect();
            json!({"type": "object", "properties": props, "required": required})
        }
        // The checkout: the order of the result (its guest token goes into a cookie).
        Envelope::Converted(_) if route.set_cookie.is_some() => {
            result["properties"]["order"].clone()
        }
        Envelope::Converted(_) => result,
        Envelope::NoContent => return json!({}),
        Envelope::Attachment { .. } => return json!({"type": "string"}),
        Envelope::List => {
            let items = result["properties"]["items"].clone();
            let int = json!({"type": "integer"});
            return json!({
                "type": "object",
                "required": ["data", "meta"],
                "properties": {
                    "data": items,
                    "meta": {"type": "object", "required": ["total", "page", "limit", "pages"],
                             "properties": {"total": int, "page": int, "limit": int, "pages": int}}
                }
            });
        }
        Envelope::Page => {
            let items = result["properties"]["items"].clone();
            let int = json!({"type": "integer"});
            return json!({
                "type": "object",
                "required": ["data", "meta"],
                "properties": {
                    "data": {"type": "object", "required": ["items"], "properties": {"items": items}},
                    "meta": {"type": "object", "required": ["total", "page", "limit", "pages"],
                             "properties": {"total": int, "page": int, "limit": int, "pages": int}}
                }
            });
        }
    };
    json!({"type": "object", "properties": {"data": data}, "required": ["data"]})
}

fn error_statuses(route: &Route) -> BTreeSet<u16> {
    let mut s: BTreeSet<u16> = route.errors.iter().map(|e| e.status).collect();
    s.insert(500);
    s.insert(503);
    let has_body = route.vars.iter().any(|v| {
        matches!(
            v,
            Var::BodyField { .. } | Var::BodyInput { .. } | Var::BodyWith { .. }
        ) || v.is_multipart()
    });
    if has_body {
        s.extend([400, 413, 415]);
    }
    if route.vars.iter().any(|v| matches!(v, Var::PathUuid { .. })) {
        s.extend([400, 404]);
    }
    if route
        .vars
        .iter()
        .any(|v| matches!(v, Var::BodyInput { .. } | Var::BodyWith { .. }))
    {
        s.insert(422);
    }
    if matches!(
        route.auth,
        AuthRule::Customer | AuthRule::Staff | AuthRule::Authenticated
    ) {
        s.extend([401, 403]);
    }
    s.insert(429);
    s
}

fn route_operation(route: &Route, types: &Types) -> Result<Value, String> {
    let doc = async_graphql::parser::parse_query(route.document)
        .map_err(|e| format!("{}: {e}", route.file))?;
    let op = operation(&doc, route.operation)
        .ok_or_else(|| format!("{}: no operation {}", route.file, route.operation))?;
    let root = if op.ty == OperationType::Mutation {
        &types.mutation
    } else {
        &types.query
    };
    let mut result = json!({});
    for item in &op.selection_set.node.items {
        if let Selection::Field(f) = &item.node {
            let f = &f.node;
            let key = f
                .alias
                .as_ref()
                .map_or_else(|| f.name.node.to_string(), |a| a.node.to_string());
            if key == route.result {
                let (t, _) = types
                    .field_type(root, &f.name.node, "fields")
                    .ok_or_else(|| format!("{}: unknown field {key}", route.file))?;
                let child = named_type(&t);
                let sub = &f.selection_set.node;
                result = from_type_ref(&t, types, &|_| {
                    selection_schema(sub, &child, &doc, types, route.omit_null)
                });
                if let Some(Value::Array(_)) = result.get("type") {
                    // Results are never null on success.
                    result["type"] = result["type"][0].clone();
                }
            }
        }
    }
    let mut out = json!({
        "summary": route.summary,
        "operationId": route.operation,
        "tags": [route.path.split('/').nth(3).unwrap_or("api")],
        "x-graphql-operation": if route.file.starts_with("plugins/") {
            route.file.to_owned()
        } else {
            format!("schema/operations/rest/{}", route.file)
        },
    });
    let mut params = Vec::new();
    let mut body_props = Map::new();
    let mut body_required = Vec::new();
    let mut body_schema = None;
    let mut form_props = Map::new();
    let mut form_required = Vec::new();
    for v in route.vars {
        match *v {
            Var::PathUuid { param, .. } => params.push(json!({
                "name": param, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}
            })),
            Var::PathString { param, .. } => params.push(json!({
                "name": param, "in": "path", "required": true, "schema": {"type": "string"}
            })),
            Var::Query { name, kind, .. } => {
                let schema = match kind {
                    QueryKind::Int => json!({"type": "integer", "minimum": 1}),
                    QueryKind::Str => json!({"type": "string"}),
                    QueryKind::Uuid | QueryKind::UuidOr400(_) => {
                        json!({"type": "string", "format": "uuid"})
                    }
                    QueryKind::Enum(values) => json!({"type": "string", "enum": values}),
                    QueryKind::Order => json!({"type": "string", "enum": ["asc", "desc"]}),
                    QueryKind::Bool => json!({"type": "string", "enum": ["true", "false", "1", "0"]}),
                };
                params.push(json!({"name": name, "in": "query", "required": false, "schema": schema}));
            }
            Var::BodyField { json: name, var, default } => {
                let def = op.variable_definitions.iter().find(|d| d.node.name.node == var);
                let s = def.map_or_else(|| json!({}), |d| var_type_schema(&d.node.var_type.node, types, None));
                if matches!(default, Default::EmptyString) || def.is_some_and(|d| !d.node.var_type.node.nullable) {
                    body_required.push(name.to_owned());
                }
                body_props.insert(name.to_owned(), s);
            }
            Var::BodyWith { json: name, var, .. } => {
                let def = op.variable_definitions.iter().find(|d| d.node.name.node == var);
                let s = def.map_or_else(|| json!({}), |d| full_type_schema(&d.node.var_type.node, types));
                if def.is_some_and(|d| !d.node.var_type.node.nullable) {
                    body_required.push(name.to_owned());
                }
                body_props.insert(name.to_owned(), s);
            }
            Var::File { field, .. } => {
                form_props.insert(
                    field.to_owned(),
                    json!({"type": "string", "format": "binary", "description": "The file (multipart part with a file name)."}),
                );
                form_required.push(field.to_owned());
            }
            Var::FormField { field, var } => {
                let def = op.variable_definitions.iter().find(|d| d.node.name.node == var);
                let s = def.map_or_else(|| json!({"type": "string"}), |d| var_type_schema(&d.node.var_type.node, types, None));
                form_props.insert(field.to_owned(), s);
            }
            Var::Cookie { name, .. } => params.push(json!({
                "name": name, "in": "cookie", "required": false, "schema": {"type": "string"}
            })),
            Var::Header { name, .. } => params.push(json!({
                "name": name, "in": "header", "required": false, "schema": {"type": "string"}
            })),
            Var::BodyInput { var, fields } => {
                let def = op.variable_definitions.iter().find(|d| d.node.name.node == var);
                if let Some(d) = def {
                    let mut t = d.node.var_type.node.clone();
                    t.nullable = false;
                    body_schema = Some(var_type_schema(&t, types, Some(fields)));
                }
            }
        }
    }
    if !params.is_empty() {
        out["parameters"] = Value::Array(params);
    }
    let body = body_schema.or_else(|| {
        (!body_props.is_empty())
            .then(|| json!({"type": "object", "properties": body_props, "required": body_required}))
    });
    if let Some(schema) = body {
        out["requestBody"] =
            json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    } else if !form_props.is_empty() {
        out["requestBody"] = json!({ "required": true, "content": { "multipart/form-data": { "schema":
            {"type": "object", "properties": form_props, "required": form_required} } } });
    }
    let mut responses = Map::new();
    let success = match route.envelope {
        Envelope::NoContent => json!({ "description": "Success, no body" }),
        Envelope::Attachment {
            content_type,
            filename,
        } => {
            let media = content_type
                .split(';')
                .next()
                .unwrap_or(content_type)
                .trim();
            json!({
                "description": format!("Success: the file `{filename}` as a download"),
                "headers": { "Content-Disposition": {
                    "description": format!("`attachment; filename=\"{filename}\"`"),
                    "schema": { "type": "string" }
                } },
                "content": { media: { "schema": wrap(route, result) } }
            })
        }
        _ => {
            json!({ "description": "Success", "content": { "application/json": { "schema": wrap(route, result) } } })
        }
    };
    let mut success = success;
    if let Some(c) = route.set_cookie {
        success["headers"] = json!({ "Set-Cookie": {
            "description": format!(
                "`{}=<value>; Path={}; Max-Age={}; HttpOnly; SameSite=Lax` (+ `Secure`), when the result has one",
                c.name, c.path, c.max_age
            ),
            "schema": { "type": "string" }
        } });
    }
    responses.insert(route.status.to_string(), success);
    for s in error_statuses(route) {
        responses.entry(s.to_string()).or_insert_with(error_ref);
    }
    out["responses"] = Value::Object(responses);
    if matches!(
        route.auth,
        AuthRule::Customer | AuthRule::Staff | AuthRule::Authenticated
    ) {
        out["security"] = json!([{"bearer": []}, {"apiKey": []}]);
    } else if route.auth == AuthRule::Optional {
        out["security"] = json!([{}, {"bearer": []}, {"apiKey": []}]);
    }
    Ok(out)
}

/// One OpenAPI operation for two rows sharing a method and path.
fn merge_alternates(mut a: Value, b: Value) -> Value {
    a["summary"] = json!(format!(
        "{} — or — {}",
        a["summary"].as_str().unwrap_or_default(),
        b["summary"].as_str().unwrap_or_default()
    ));
    a["operationId"] = json!(format!(
        "{}Or{}",
        a["operationId"].as_str().unwrap_or_default(),
        b["operationId"].as_str().unwrap_or_default()
    ));
    let body = "/requestBody/content/application~1json/schema";
    if let (Some(x), Some(y)) = (a.pointer(body).cloned(), b.pointer(body).cloned())
        && let Some(slot) = a.pointer_mut(body)
    {
        *slot = json!({ "oneOf": [x, y] });
    }
    if let (Some(Value::Object(ra)), Some(Value::Object(rb))) =
        (a.get("responses").cloned(), b.get("responses"))
    {
        let mut merged = ra;
        for (status, resp) in rb {
            let schema = "/content/application~1json/schema";
            match merged.get_mut(status) {
                Some(existing) => {
                    if let (Some(x), Some(y)) = (
                        existing.pointer(schema).cloned(),
                        resp.pointer(schema).cloned(),
                    ) && x != y
                        && let Some(slot) = existing.pointer_mut(schema)
                    {
                        *slot = json!({ "oneOf": [x, y] });
                    }
                }
                None => {
                    merged.insert(status.clone(), resp.clone());
                }
            }
        }
        a["responses"] = Value::Object(merged);
    }
    a
}

/// Generates the document.
pub async fn generate<E: Executor>(executor: &E, version: &str) -> Result<Value, String> {
    generate_with(executor, version, &crate::extra::RouteTable::core()).await
}

/// [`generate`] for the rows of `table` (core rows plus plugin rows).
pub async fn generate_with<E: Executor>(
    executor: &E,
    version: &str,
    table: &crate::extra::RouteTable,
) -> Result<Value, String> {
    let types = introspect(executor).await?;
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    paths.entry("/api/v1/health".into()).or_default().insert(
        "get".into(),
        json!({
            "summary": "Health: `ok`, or `degraded` when the database does not answer (still 200)",
            "operationId": "Health",
            "tags": ["health"],
            "responses": { "200": { "description": "Success", "content": { "application/json": { "schema": {
                "type": "object", "required": ["data"], "properties": { "data": { "type": "object", "required": ["status"],
                "properties": { "status": { "type": "string", "enum": ["ok", "degraded"] } } } } } } } } }
        }),
    );
    for route in table.rows() {
        let op = route_operation(route, &types)?;
        let ops = paths.entry(route.path.to_owned()).or_default();
        let method = route.method.method().as_str().to_lowercase();
        let op = match ops.remove(&method) {
            // Two rows on one method and path (chosen by a body key): one operation whose
            // request and success bodies are either row's.
            Some(other) => merge_alternates(other, op),
            None => op,
        };
        ops.insert(method, op);
    }
    Ok(json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Stoa REST API (compatibility layer)",
            "version": version,
            "description": "The reference Stoa /api/v1 routes, served by running GraphQL operations. See docs/compatibility.md for deliberate differences."
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" },
                "apiKey": { "type": "apiKey", "in": "header", "name": "Authorization", "description": "`ApiKey ck_…` (staff) or `ApiKey sk_…` (customer)" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": { "errors": { "type": "array", "items": {
                        "type": "object", "required": ["code", "detail"],
                        "properties": { "code": {"type": "string"}, "detail": {"type": "string"}, "field": {"type": "string"} }
                    } } }
                }
            }
        }
    }))
}

//! Turns tool rows into MCP tools: parses each operation, resolves its arguments against
//! the schema, and derives the input JSON Schema (names, types, required, defaults,
//! descriptions from the schema's doc comments).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
    Type,
};
use async_graphql::{Positioned, Value as GqlValue};
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde_json::{Map, Value as Json, json};

use crate::sdl::{InputValue, SchemaIndex, TypeDef, named};
use crate::table::{Arg, Hints, Operation, ServerKind, SessionEffect, ToolRow, snake_case};

/// A row that cannot become a tool; names the tool and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CatalogError {}

/// One tool argument, resolved.
#[derive(Debug, Clone)]
pub struct Param {
    /// The argument name.
    pub name: String,
    /// The variable, then the input fields down to the value (`["input", "firstName"]`).
    pub target: Vec<String>,
    /// The GraphQL type at the target.
    pub ty: Type,
    pub required: bool,
    /// The property's JSON Schema.
    pub schema: Json,
    /// How the argument's value reaches the variables.
    pub role: Role,
}

/// How an argument's value reaches the variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// It is the value at `target`.
    Set,
    /// It is the value at each of these targets that the call does not set otherwise.
    Fill(Vec<Vec<String>>),
    /// The translation list at `target` (of `ToolSpec::translations[group]`): an array,
    /// or an object keyed by locale.
    Translations { group: usize },
    /// The field `field` of the default-locale translation of
    /// `ToolSpec::translations[group]`.
    TranslationField { group: usize, field: String },
}

/// A translation list with its default-locale arguments ([`Arg::Translations`]).
#[derive(Debug, Clone)]
pub struct TranslationSpec {
    /// The list: variable, then input fields.
    pub list: Vec<String>,
    /// The type of one item (an input object with a `locale` field).
    pub item: Type,
    /// The default-locale arguments: (argument name, item field, required), required ones
    /// (non-null item fields without default) first.
    pub fields: Vec<(String, String, bool)>,
    /// At least one translation is needed.
    pub required: bool,
}

/// A parsed operation ready to execute.
#[derive(Debug, Clone)]
pub struct PreparedOperation {
    pub path: &'static str,
    pub source: &'static str,
    pub name: String,
}

/// A tool: its row, resolved parameters and MCP definition.
#[derive(Debug, Clone)]
pub struct ToolSpec {
    pub row: &'static ToolRow,
    pub operation: PreparedOperation,
    pub params: Vec<Param>,
    /// Non-null input-object variables that must be sent (as `{}`) even without arguments.
    pub required_objects: Vec<String>,
    /// Translation lists with default-locale arguments.
    pub translations: Vec<TranslationSpec>,
    pub tool: Tool,
    /// The prepared refresh operation of a `SignIn` row.
    pub refresh: Option<PreparedOperation>,
}

impl TranslationSpec {
    /// The default-locale arguments, for messages: `` `name`, `slug`, `description` ``.
    pub fn arg_list(&self) -> String {
        self.fields
            .iter()
            .map(|(a, _, _)| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl ToolSpec {
    /// Whether these arguments use default-locale translation arguments, so that
    /// [`crate::args::to_variables`] needs the store's default locale.
    pub fn needs_default_locale(&self, args: Option<&Map<String, Json>>) -> bool {
        args.is_some_and(|args| {
            self.params.iter().any(|p| {
                matches!(p.role, Role::TranslationField { .. }) && args.contains_key(&p.name)
            })
        })
    }
}

/// The tools of one server.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub kind: ServerKind,
    tools: Vec<Arc<ToolSpec>>,
    by_name: HashMap<String, Arc<ToolSpec>>,
}

impl Catalog {
    /// Builds the tools of `rows` against the schema.
    pub fn build(
        kind: ServerKind,
        rows: impl IntoIterator<Item = &'static ToolRow>,
        schema: &SchemaIndex,
    ) -> Result<Self, CatalogError> {
        let mut tools = Vec::new();
        let mut by_name = HashMap::new();
        for row in rows {
            let spec = Arc::new(build_tool(row, schema)?);
            if by_name.insert(row.name.to_owned(), spec.clone()).is_some() {
                return Err(CatalogError(format!("tool {} is listed twice", row.name)));
            }
            tools.push(spec);
        }
        Ok(Self {
            kind,
            tools,
            by_name,
        })
    }

    /// The tools in table order.
    pub fn tools(&self) -> &[Arc<ToolSpec>] {
        &self.tools
    }

    /// A tool by name.
    pub fn get(&self, name: &str) -> Option<&Arc<ToolSpec>> {
        self.by_name.get(name)
    }
}

/// Parses an operation file: exactly one named query or mutation.
pub fn prepare(op: Operation) -> Result<(PreparedOperation, OperationDefinition), CatalogError> {
    let doc: ExecutableDocument = async_graphql::parser::parse_query(op.source)
        .map_err(|e| CatalogError(format!("{}: does not parse: {e}", op.path)))?;
    let (name, def) = match doc.operations {
        DocumentOperations::Multiple(ops) if ops.len() == 1 => ops
            .into_iter()
            .next()
            .map(|(n, d)| (n.to_string(), d.node))
            .ok_or_else(|| CatalogError(format!("{}: no operation", op.path)))?,
        _ => {
            return Err(CatalogError(format!(
                "{}: must hold exactly one named operation",
                op.path
            )));
        }
    };
    if !doc.fragments.is_empty() {
        return Err(CatalogError(format!(
            "{}: fragments are not supported",
            op.path
        )));
    }
    Ok((
        PreparedOperation {
            path: op.path,
            source: op.source,
            name,
        },
        def,
    ))
}

const VAR_MARK: &str = "\u{0}$";

/// Where a variable is used: the argument or input field it fills.
fn usages(
    schema: &SchemaIndex,
    def: &OperationDefinition,
) -> Result<HashMap<String, InputValue>, String> {
    use async_graphql::parser::types::OperationType;
    let root = match def.ty {
        OperationType::Query => &schema.query,
        OperationType::Mutation => &schema.mutation,
        OperationType::Subscription => return Err("subscriptions cannot be tools".into()),
    };
    let mut out = HashMap::new();
    walk(schema, root, &def.selection_set, &mut out)?;
    Ok(out)
}

fn walk(
    schema: &SchemaIndex,
    parent: &str,
    set: &Positioned<SelectionSet>,
    out: &mut HashMap<String, InputValue>,
) -> Result<(), String> {
    for item in &set.node.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let name = f.name.node.as_str();
                if name.starts_with("__") {
                    continue;
                }
                let field = schema
                    .field(parent, name)
                    .ok_or_else(|| format!("unknown field `{name}` on `{parent}`"))?;
                for (arg, value) in &f.arguments {
                    let def = field
                        .args
                        .iter()
                        .find(|a| a.name == arg.node.as_str())
                        .ok_or_else(|| {
                            format!("unknown argument `{}` of `{parent}.{name}`", arg.node)
                        })?;
                    // Variables become marker strings, so the value can be walked as a
                    // constant.
                    let marked = value
                        .node
                        .clone()
                        .into_const_with(|var| {
                            Ok::<_, std::convert::Infallible>(GqlValue::String(format!(
                                "{VAR_MARK}{var}"
                            )))
                        })
                        .unwrap_or(GqlValue::Null);
                    collect(schema, def, &marked, out);
                }
                walk(schema, named(&field.ty), &f.selection_set, out)?;
            }
            Selection::InlineFragment(frag) => {
                let on = frag
                    .node
                    .type_condition
                    .as_ref()
                    .map_or(parent, |c| c.node.on.node.as_str());
                walk(schema, on, &frag.node.selection_set, out)?;
            }
            Selection::FragmentSpread(_) => return Err("fragments are not supported".into()),
        }
    }
    Ok(())
}

fn collect(
    schema: &SchemaIndex,
    def: &InputValue,
    value: &GqlValue,
    out: &mut HashMap<String, InputValue>,
) {
    match value {
        GqlValue::String(s) if s.starts_with(VAR_MARK) => {
            let var = s.trim_start_matches(VAR_MARK).to_owned();
            out.entry(var).or_insert_with(|| def.clone());
        }
        GqlValue::Object(fields) => {
            if let Some(input) = schema.input_fields(named(&def.ty)) {
                for (k, v) in fields {
                    if let Some(fd) = input.iter().find(|f| f.name == k.as_str()) {
                        collect(schema, fd, v, out);
                    }
                }
            }
        }
        GqlValue::List(items) => {
            for v in items {
                collect(schema, def, v, out);
            }
        }
        _ => {}
    }
}

/// The JSON Schema of a GraphQL input type (without its own description).
pub fn type_schema(schema: &SchemaIndex, ty: &Type) -> Result<Json, String> {
    if let BaseType::List(inner) = &ty.base {
        return Ok(json!({ "type": "array", "items": type_schema(schema, inner)? }));
    }
    let name = named(ty);
    let def = schema
        .get(name)
        .ok_or_else(|| format!("unknown type `{name}`"))?;
    Ok(match (name, def) {
        ("Int", _) => json!({ "type": "integer" }),
        ("Float", _) => json!({ "type": "number" }),
        ("String", _) | ("ID", _) => json!({ "type": "string" }),
        ("Boolean", _) => json!({ "type": "boolean" }),
        ("UUID", _) => json!({ "type": "string", "format": "uuid" }),
        ("DateTime", _) => json!({ "type": "string", "format": "date-time" }),
        ("JSON", _) => json!({}),
        (_, TypeDef::Scalar { .. }) => json!({ "type": "string" }),
        (_, TypeDef::Enum { values, .. }) => json!({ "type": "string", "enum": values }),
        (
            _,
            TypeDef::Input {
                description,
                fields,
            },
        ) => {
            let mut props = Map::new();
            let mut required = Vec::new();
            for f in fields {
                let key = snake_case(&f.name);
                props.insert(key.clone(), property(schema, f, None)?);
                if !f.ty.nullable && f.default.is_none() {
                    required.push(Json::from(key));
                }
            }
            let mut o = json!({
                "type": "object",
                "properties": props,
                "additionalProperties": false,
            });
            if !required.is_empty() {
                o["required"] = Json::Array(required);
            }
            if let Some(d) = description {
                o["description"] = Json::from(d.as_str());
            }
            o
        }
        (_, TypeDef::Object { .. } | TypeDef::Union) => {
            return Err(format!("`{name}` is an output type, not an input type"));
        }
    })
}

/// The schema of one property: its type, default and description.
fn property(schema: &SchemaIndex, v: &InputValue, doc: Option<&str>) -> Result<Json, String> {
    let mut s = type_schema(schema, &v.ty)?;
    let description = doc.map(str::to_owned).or_else(|| v.description.clone());
    if let Some(obj) = s.as_object_mut() {
        if let Some(d) = description {
            obj.insert("description".into(), Json::from(d));
        }
        if let Some(d) = &v.default {
            obj.insert("default".into(), d.clone());
        }
    }
    Ok(s)
}

/// Whether a variable of type `var` may fill a position of `usage`'s type.
fn fits(var: &Type, var_has_default: bool, usage: &InputValue) -> bool {
    fn same_shape(a: &Type, b: &Type, outer_default: bool) -> bool {
        if !a.nullable || b.nullable || outer_default {
            match (&a.base, &b.base) {
                (BaseType::Named(x), BaseType::Named(y)) => x == y,
                (BaseType::List(x), BaseType::List(y)) => same_shape(x, y, false),
                _ => false,
            }
        } else {
            false
        }
    }
    same_shape(var, &usage.ty, var_has_default || usage.default.is_some())
}

/// The variable or input field at `path` (`input.firstName`): its definition, its target
/// and whether the call must set it.
fn resolve(
    schema: &SchemaIndex,
    vars: &HashMap<String, InputValue>,
    path: &str,
) -> Result<(InputValue, Vec<String>, bool), String> {
    let mut segs = path.split('.');
    let var_name = segs.next().unwrap_or_default();
    let var = vars
        .get(var_name)
        .ok_or_else(|| format!("no variable ${var_name}"))?;
    let mut value = var.clone();
    let mut required = !var.ty.nullable && var.default.is_none();
    let mut target = vec![var_name.to_owned()];
    for seg in segs {
        let fields = schema
            .input_fields(named(&value.ty))
            .ok_or_else(|| format!("`{}` is not an input object", value.name))?;
        let field = fields
            .iter()
            .find(|f| f.name == seg)
            .ok_or_else(|| format!("input type {} has no field `{seg}`", named(&value.ty)))?;
        required = required && !field.ty.nullable && field.default.is_none();
        value = field.clone();
        target.push(seg.to_owned());
    }
    Ok((value, target, required))
}

/// The same GraphQL type, nullability aside.
fn same_type(a: &Type, b: &Type) -> bool {
    match (&a.base, &b.base) {
        (BaseType::Named(x), BaseType::Named(y)) => x == y,
        (BaseType::List(x), BaseType::List(y)) => same_type(x, y),
        _ => false,
    }
}

/// The `translations` argument and the default-locale arguments of a translation list.
fn translation_params(
    schema: &SchemaIndex,
    list: &InputValue,
    target: Vec<String>,
    fields: &[&str],
    group: usize,
) -> Result<(TranslationSpec, Param, Vec<Param>), String> {
    let BaseType::List(item) = &list.ty.base else {
        return Err(format!("`{}` is not a list", list.name));
    };
    let item_name = named(item);
    let item_fields = schema
        .input_fields(item_name)
        .ok_or_else(|| format!("{item_name} is not an input object"))?;
    if !item_fields.iter().any(|f| f.name == "locale") {
        return Err(format!("{item_name} has no `locale` field"));
    }
    let mut spec_fields = Vec::new();
    for name in fields {
        let f = item_fields
            .iter()
            .find(|f| f.name == *name)
            .ok_or_else(|| format!("{item_name} has no field `{name}`"))?;
        let required = !f.ty.nullable && f.default.is_none();
        spec_fields.push((snake_case(name), f.clone(), required));
    }
    for f in item_fields {
        if f.name != "locale"
            && !f.ty.nullable
            && f.default.is_none()
            && !fields.contains(&f.name.as_str())
        {
            return Err(format!(
                "required field {item_name}.{} is not among the default-locale arguments",
                f.name
            ));
        }
    }
    // Required fields first, so "required" errors name `name` before `description`.
    spec_fields.sort_by_key(|(_, _, required)| !required);
    let arg_names: Vec<String> = spec_fields
        .iter()
        .map(|(n, _, _)| format!("`{n}`"))
        .collect();
    let arg_list = arg_names.join(", ");

    let item_schema = type_schema(schema, item)?;
    let mut keyed = item_schema.clone();
    if let Some(o) = keyed.as_object_mut() {
        if let Some(Json::Object(props)) = o.get_mut("properties") {
            props.remove("locale");
        }
        if let Some(Json::Array(req)) = o.get_mut("required") {
            req.retain(|r| r != "locale");
        }
    }
    let example = spec_fields
        .first()
        .map(|(n, _, _)| format!("{{\"{n}\": …}}"))
        .unwrap_or_else(|| "{…}".to_owned());
    let mut list_doc = list.description.clone().unwrap_or_default();
    if !list_doc.is_empty() {
        list_doc.push(' ');
    }
    list_doc.push_str(&format!(
        "Every locale's texts: an array of objects with `locale`, or an object keyed by \
         locale ({{\"de-DE\": {example}, \"en-US\": {example}}}). Instead, {arg_list} give \
         one translation in the store's default locale."
    ));
    let list_param = Param {
        name: "translations".to_owned(),
        target: target.clone(),
        ty: list.ty.clone(),
        required: false,
        schema: json!({
            "description": list_doc,
            "anyOf": [
                { "type": "array", "items": item_schema },
                { "type": "object", "additionalProperties": keyed },
            ],
        }),
        role: Role::Translations { group },
    };
    let mut field_params = Vec::new();
    for (arg, f, required) in &spec_fields {
        let mut s = type_schema(schema, &f.ty)?;
        let mut doc = f.description.clone().unwrap_or_default();
        if !doc.is_empty() {
            doc.push(' ');
        }
        doc.push_str(&format!(
            "In the store's default locale (i18n.default_locale): {arg_list} become that \
             locale's translation when `translations` is not given."
        ));
        if *required {
            doc.push_str(" Required then.");
        }
        if let Some(o) = s.as_object_mut() {
            o.insert("description".into(), Json::from(doc));
        }
        field_params.push(Param {
            name: arg.clone(),
            target: target.clone(),
            ty: f.ty.clone(),
            required: false,
            schema: s,
            role: Role::TranslationField {
                group,
                field: f.name.clone(),
            },
        });
    }
    let spec = TranslationSpec {
        list: target,
        item: (**item).clone(),
        fields: spec_fields
            .into_iter()
            .map(|(n, f, r)| (n, f.name, r))
            .collect(),
        required: false,
    };
    Ok((spec, list_param, field_params))
}

fn build_tool(row: &'static ToolRow, schema: &SchemaIndex) -> Result<ToolSpec, CatalogError> {
    let err = |m: String| CatalogError(format!("tool {}: {m}", row.name));
    let (operation, def) = prepare(row.operation)?;
    let used = usages(schema, &def).map_err(|m| err(format!("{}: {m}", row.operation.path)))?;
    // Variables: declared type, default, and the description of where they are used.
    let mut vars: HashMap<String, InputValue> = HashMap::new();
    for v in &def.variable_definitions {
        let v = &v.node;
        let name = v.name.node.to_string();
        let usage = used.get(&name);
        let default = v
            .default_value
            .as_ref()
            .and_then(|d| d.node.clone().into_json().ok())
            .or_else(|| usage.and_then(|u| u.default.clone()));
        vars.insert(
            name.clone(),
            InputValue {
                name: name.clone(),
                description: usage.and_then(|u| u.description.clone()),
                ty: v.var_type.node.clone(),
                default,
            },
        );
        let Some(usage) = usage else {
            return Err(err(format!("variable ${name} is declared but never used")));
        };
        // The engine does not check this before execution, so the table does.
        if !fits(&v.var_type.node, v.default_value.is_some(), usage) {
            return Err(err(format!(
                "variable ${name}: {} cannot be used where {} is expected",
                v.var_type.node, usage.ty
            )));
        }
    }
    // Fields that an argument of their own sets are left out of spreads.
    let claimed: Vec<&str> = row
        .args
        .iter()
        .filter_map(|a| match *a {
            Arg::Bind { path, .. } | Arg::Translations { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    let mut params: Vec<Param> = Vec::new();
    let mut translations: Vec<TranslationSpec> = Vec::new();
    for arg in row.args {
        match *arg {
            Arg::Bind { name, path, doc } => {
                let (value, target, required) = resolve(schema, &vars, path)
                    .map_err(|m| err(format!("argument {name}: {m}")))?;
                let schema_json = property(schema, &value, doc)
                    .map_err(|m| err(format!("argument {name}: {m}")))?;
                params.push(Param {
                    name: name.to_owned(),
                    target,
                    ty: value.ty.clone(),
                    required,
                    schema: schema_json,
                    role: Role::Set,
                });
            }
            Arg::Spread { var } => {
                let v = vars
                    .get(var)
                    .ok_or_else(|| err(format!("spread: no variable ${var}")))?;
                let fields = schema
                    .input_fields(named(&v.ty))
                    .ok_or_else(|| err(format!("spread: ${var} is not an input object")))?;
                let outer = !v.ty.nullable && v.default.is_none();
                for f in fields {
                    if claimed.contains(&format!("{var}.{}", f.name).as_str()) {
                        continue;
                    }
                    let schema_json = property(schema, f, None)
                        .map_err(|m| err(format!("field {}: {m}", f.name)))?;
                    params.push(Param {
                        name: snake_case(&f.name),
                        target: vec![var.to_owned(), f.name.clone()],
                        ty: f.ty.clone(),
                        required: outer && !f.ty.nullable && f.default.is_none(),
                        schema: schema_json,
                        role: Role::Set,
                    });
                }
            }
            Arg::Fill { name, targets, doc } => {
                let mut resolved = Vec::new();
                for path in targets {
                    let (value, target, _) = resolve(schema, &vars, path)
                        .map_err(|m| err(format!("argument {name}: {m}")))?;
                    if let Some((first, _)) = resolved.first()
                        && !same_type(first, &value.ty)
                    {
                        return Err(err(format!(
                            "argument {name}: {path} is not of the first target's type"
                        )));
                    }
                    resolved.push((value.ty.clone(), target));
                }
                let Some((ty, first)) = resolved.first().cloned() else {
                    return Err(err(format!("argument {name}: no targets")));
                };
                let mut schema_json =
                    type_schema(schema, &ty).map_err(|m| err(format!("argument {name}: {m}")))?;
                let names: Vec<String> = resolved
                    .iter()
                    .map(|(_, t)| {
                        format!("`{}`", t.last().map(|f| snake_case(f)).unwrap_or_default())
                    })
                    .collect();
                let text = doc.map(str::to_owned).unwrap_or_else(|| {
                    format!("Sets {} unless given on their own.", names.join(" and "))
                });
                if let Some(o) = schema_json.as_object_mut() {
                    o.insert("description".into(), Json::from(text));
                }
                params.push(Param {
                    name: name.to_owned(),
                    target: first,
                    ty: ty.clone(),
                    required: false,
                    schema: schema_json,
                    role: Role::Fill(resolved.into_iter().map(|(_, t)| t).collect()),
                });
            }
            Arg::Translations {
                path,
                fields,
                required,
            } => {
                let (list, target, list_required) =
                    resolve(schema, &vars, path).map_err(|m| err(format!("translations: {m}")))?;
                let group = translations.len();
                let (spec, list_param, field_params) =
                    translation_params(schema, &list, target, fields, group)
                        .map_err(|m| err(format!("translations at {path}: {m}")))?;
                translations.push(TranslationSpec {
                    required: required || list_required,
                    ..spec
                });
                params.push(list_param);
                params.extend(field_params);
            }
        }
    }
    // Session-provided variables.
    let session_var = match row.session {
        SessionEffect::SignOut { refresh_token_var } => Some(refresh_token_var),
        _ => None,
    };
    if let Some(sv) = session_var
        && !vars.contains_key(sv)
    {
        return Err(err(format!("session variable ${sv} is not declared")));
    }
    // Names are unique; every required variable is reachable.
    let mut seen = HashMap::new();
    for p in &params {
        if seen.insert(p.name.clone(), ()).is_some() {
            return Err(err(format!("argument {} is defined twice", p.name)));
        }
    }
    let mut required_objects = Vec::new();
    for (name, v) in &vars {
        let bound = params.iter().any(|p| &p.target[0] == name) || session_var == Some(name);
        let needed = !v.ty.nullable && v.default.is_none();
        if needed && !bound {
            return Err(err(format!("required variable ${name} has no argument")));
        }
        if needed && schema.input_fields(named(&v.ty)).is_some() {
            required_objects.push(name.clone());
            // Every required field of a required input object must be reachable.
            for f in schema.input_fields(named(&v.ty)).unwrap_or_default() {
                let reachable = params.iter().any(|p| {
                    &p.target[0] == name && (p.target.len() == 1 || p.target[1] == f.name)
                });
                if !f.ty.nullable && f.default.is_none() && !reachable {
                    return Err(err(format!(
                        "required field {}.{} has no argument",
                        name, f.name
                    )));
                }
            }
        }
    }
    let refresh = match row.session {
        SessionEffect::SignIn { refresh, .. } => Some(prepare(refresh)?.0),
        _ => None,
    };
    let tool = mcp_tool(row, &params);
    Ok(ToolSpec {
        row,
        operation,
        params,
        required_objects,
        translations,
        tool,
        refresh,
    })
}

fn mcp_tool(row: &ToolRow, params: &[Param]) -> Tool {
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in params {
        props.insert(p.name.clone(), p.schema.clone());
        if p.required {
            required.push(Json::from(p.name.as_str()));
        }
    }
    let mut input: JsonObject = Map::new();
    input.insert("type".into(), "object".into());
    input.insert("properties".into(), Json::Object(props));
    if !required.is_empty() {
        input.insert("required".into(), Json::Array(required));
    }
    input.insert("additionalProperties".into(), false.into());
    let annotations = match row.hints {
        Hints::ReadOnly => ToolAnnotations::new().read_only(true),
        Hints::Write {
            destructive,
            idempotent,
        } => ToolAnnotations::new()
            .read_only(false)
            .destructive(destructive)
            .idempotent(idempotent),
    }
    .open_world(false);
    Tool::new(row.name, row.description, input).with_annotations(annotations)
}

//! Derivation tests against the checked-in SDL (`schema/schema.graphql`, kept in sync with
//! the code by the resolvers' drift test) and the operation files on disk.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value as Json, json};

use crate::args::to_variables;
use crate::catalog::Catalog;
use crate::sdl::SchemaIndex;
use crate::table::ServerKind;
use crate::tools;

const SDL: &str = include_str!("../../schema/schema.graphql");

fn catalog(kind: ServerKind) -> (Catalog, SchemaIndex) {
    let schema = SchemaIndex::parse(SDL).expect("sdl");
    let cat = Catalog::build(kind, tools::rows(kind), &schema).expect("catalog");
    (cat, schema)
}

fn input_schema(cat: &Catalog, tool: &str) -> Json {
    Json::Object(
        cat.get(tool)
            .expect("tool")
            .tool
            .input_schema
            .as_ref()
            .clone(),
    )
}

#[test]
fn both_tables_build_against_the_schema() {
    for kind in [ServerKind::Store, ServerKind::Admin] {
        let (cat, _) = catalog(kind);
        assert_eq!(cat.tools().len(), tools::rows(kind).len());
        for t in cat.tools() {
            assert!(
                t.row.name.starts_with(&format!("{}_", kind.as_str())),
                "{}",
                t.row.name
            );
        }
    }
}

#[test]
fn register_schema_is_derived_from_register_input() {
    let (cat, _) = catalog(ServerKind::Store);
    let s = input_schema(&cat, "store_register");
    assert_eq!(s["type"], "object");
    assert_eq!(s["additionalProperties"], false);
    let props = s["properties"].as_object().expect("properties");
    let names: BTreeSet<&str> = props.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from(["email", "password", "first_name", "last_name"])
    );
    assert_eq!(props["email"]["type"], "string");
    // Doc comment of RegisterInput.email in the schema.
    assert_eq!(
        props["email"]["description"],
        "The customer's email (trimmed, lower-cased, unique)."
    );
    let required: BTreeSet<&str> = s["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Json::as_str)
        .collect();
    assert_eq!(required, BTreeSet::from(["email", "password"]));
}

#[test]
fn audit_log_schema_has_defaults_and_no_required() {
    let (cat, _) = catalog(ServerKind::Admin);
    let s = input_schema(&cat, "admin_list_audit_log");
    assert_eq!(s["properties"]["page"]["type"], "integer");
    assert_eq!(s["properties"]["page"]["default"], 1);
    assert_eq!(s["properties"]["limit"]["default"], 20);
    assert_eq!(s["properties"]["entity_type"]["type"], "string");
    assert!(s.get("required").is_none(), "{s}");
}

#[test]
fn spread_exposes_every_input_field_in_snake_case() {
    let (cat, _) = catalog(ServerKind::Admin);
    let s = input_schema(&cat, "admin_update_settings");
    let props = s["properties"].as_object().expect("properties");
    for name in [
        "store_name",
        "store_description",
        "contact_email",
        "currency",
        "country",
        "timezone",
        "logo_url",
        "favicon_url",
        "copyright_text",
        "maintenance_mode",
    ] {
        assert!(props.contains_key(name), "missing {name}: {s}");
    }
    assert_eq!(props["maintenance_mode"]["type"], "boolean");
    assert_eq!(
        props["currency"]["description"],
        "ISO 4217 code, three upper-case letters."
    );
}

#[test]
fn annotations_follow_the_rows() {
    let (cat, _) = catalog(ServerKind::Admin);
    let read = cat.get("admin_get_settings").expect("tool");
    let a = read.tool.annotations.as_ref().expect("annotations");
    assert_eq!(a.read_only_hint, Some(true));
    let write = cat.get("admin_update_settings").expect("tool");
    let a = write.tool.annotations.as_ref().expect("annotations");
    assert_eq!(a.read_only_hint, Some(false));
    assert_eq!(a.idempotent_hint, Some(true));
}

#[test]
fn arguments_become_variables() {
    let (cat, schema) = catalog(ServerKind::Store);
    let spec = cat.get("store_register").expect("tool");
    let args = json!({"email": "a@b.c", "password": "pw123456", "first_name": "Ann"});
    let vars = to_variables(spec, &schema, args.as_object().cloned(), None).expect("vars");
    assert_eq!(
        Json::Object(vars),
        json!({"input": {"email": "a@b.c", "password": "pw123456", "firstName": "Ann"}})
    );
}

#[test]
fn bad_arguments_are_validation_errors_naming_the_argument() {
    let (cat, schema) = catalog(ServerKind::Store);
    let spec = cat.get("store_register").expect("tool");
    let missing = to_variables(
        spec,
        &schema,
        json!({"email": "a@b.c"}).as_object().cloned(),
        None,
    )
    .expect_err("missing password");
    assert_eq!(missing.code, "VALIDATION_ERROR");
    assert_eq!(missing.field.as_deref(), Some("password"));
    let wrong = to_variables(
        spec,
        &schema,
        json!({"email": 5, "password": "x"}).as_object().cloned(),
        None,
    )
    .expect_err("wrong type");
    assert_eq!(wrong.field.as_deref(), Some("email"));
    assert!(
        wrong.message.contains("must be a string"),
        "{}",
        wrong.message
    );
    let unknown = to_variables(
        spec,
        &schema,
        json!({"email": "a", "password": "b", "nick": "c"})
            .as_object()
            .cloned(),
        None,
    )
    .expect_err("unknown");
    assert!(unknown.message.contains("unknown argument `nick`"));
}

#[test]
fn update_account_without_arguments_sends_an_empty_input() {
    let (cat, schema) = catalog(ServerKind::Store);
    let spec = cat.get("store_update_account").expect("tool");
    let vars = to_variables(spec, &schema, None, None).expect("vars");
    assert_eq!(Json::Object(vars), json!({"input": {}}));
}

#[test]
fn integers_are_checked() {
    let (cat, schema) = catalog(ServerKind::Admin);
    let spec = cat.get("admin_list_audit_log").expect("tool");
    let ok = to_variables(
        spec,
        &schema,
        json!({"page": 2.0}).as_object().cloned(),
        None,
    )
    .expect("2.0");
    assert_eq!(ok["page"], 2);
    let e = to_variables(
        spec,
        &schema,
        json!({"page": 1.5}).as_object().cloned(),
        None,
    )
    .expect_err("1.5");
    assert_eq!(e.field.as_deref(), Some("page"));
}

fn files_under(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "graphql") {
            let rel = path.strip_prefix(base).expect("prefix");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_operation_file_is_used_by_a_row_and_every_row_has_its_file() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/operations");
    let mut on_disk = BTreeSet::new();
    files_under(&base.join("mcp"), &base, &mut on_disk);
    let used: BTreeSet<String> = tools::operations()
        .iter()
        .map(|o| o.path.to_owned())
        .collect();
    let orphans: Vec<&String> = on_disk.difference(&used).collect();
    assert!(
        orphans.is_empty(),
        "operation files no row uses: {orphans:?}"
    );
    let missing: Vec<&String> = used.difference(&on_disk).collect();
    assert!(missing.is_empty(), "rows without their file: {missing:?}");
}

#[test]
fn a_row_with_an_unknown_field_is_refused() {
    use crate::table::{Hints, SessionEffect, ToolRow, bind};
    static BAD: &[ToolRow] = &[ToolRow {
        name: "store_bad",
        description: "x",
        operation: crate::table::Operation {
            path: "inline",
            source: "mutation Bad($input: RegisterInput!) { register(input: $input) { id } }",
        },
        args: &[bind("email", "input.mail")],
        hints: Hints::ReadOnly,
        session: SessionEffect::None,
    }];
    let schema = SchemaIndex::parse(SDL).expect("sdl");
    let err = Catalog::build(ServerKind::Store, BAD, &schema).expect_err("bad row");
    assert!(err.0.contains("has no field `mail`"), "{err}");
}

#[test]
fn a_variable_of_the_wrong_type_is_refused() {
    use crate::table::{Hints, SessionEffect, ToolRow, bind};
    static BAD: &[ToolRow] = &[ToolRow {
        name: "admin_bad",
        description: "x",
        operation: crate::table::Operation {
            path: "inline",
            source: "query Bad($p: String) { auditLog(page: $p) { total } }",
        },
        args: &[bind("page", "p")],
        hints: Hints::ReadOnly,
        session: SessionEffect::None,
    }];
    let schema = SchemaIndex::parse(SDL).expect("sdl");
    let err = Catalog::build(ServerKind::Admin, BAD, &schema).expect_err("bad row");
    assert!(
        err.0
            .contains("String cannot be used where Int is expected"),
        "{err}"
    );
}

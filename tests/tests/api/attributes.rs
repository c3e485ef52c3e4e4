//! Product attributes over REST and GraphQL: definitions with options and translations in
//! the reference's shapes, conflicts and validation codes, values type-checked against
//! their attribute, set/replace/delete on products and variants, the demo product's
//! attributes, permissions, audit, cascades and the DataLoader's statement count.

use crate::catalog_admin::{keys, product, rest};
use reqwest::Method;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

/// `(code, field)` of the first REST error.
fn error(v: &Value) -> (&str, &str) {
    (
        v["errors"][0]["code"].as_str().unwrap_or_default(),
        v["errors"][0]["field"].as_str().unwrap_or_default(),
    )
}

fn id(v: &Value) -> String {
    v["data"]["id"].as_str().expect("id").to_owned()
}

async fn variant(app: &TestApp, admin: &Auth, product: &str, sku: &str) -> String {
    let (s, v) = rest(
        app,
        Method::POST,
        &format!("/api/v1/admin/products/{product}/variants"),
        admin,
        Some(json!({"sku": sku, "active": true})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    id(&v)
}

async fn attribute(app: &TestApp, admin: &Auth, identifier: &str, kind: &str) -> String {
    let (s, a) = rest(
        app,
        Method::POST,
        "/api/v1/admin/attributes",
        admin,
        Some(json!({
            "identifier": identifier, "type": kind,
            "translations": [{"locale": "en-US", "name": identifier}]
        })),
    )
    .await;
    assert_eq!(s, 201, "{a}");
    id(&a)
}

async fn option(app: &TestApp, admin: &Auth, attribute: &str, name: &str) -> String {
    let (s, o) = rest(
        app,
        Method::POST,
        &format!("/api/v1/admin/attributes/{attribute}/options"),
        admin,
        Some(json!({"translations": [{"locale": "en-US", "name": name}]})),
    )
    .await;
    assert_eq!(s, 201, "{o}");
    id(&o)
}

async fn create_key(app: &TestApp, auth: &Auth, perms: &[&str]) -> Auth {
    let r = app
        .gql(
            auth,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "attributes-test", "permissions": perms}}),
        )
        .await
        .ok();
    Auth::ApiKey(r.data("createApiKey.key").as_str().expect("key").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn attributes_crud_with_options_translations_and_reference_shapes() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (s, created) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/attributes",
        &admin,
        Some(json!({
            "identifier": "material", "type": "select", "unit": "", "position": 2,
            "filterable": true,
            "translations": [
                {"locale": "de-DE", "name": "Material", "description": "Woraus es ist"},
                {"locale": "en-US", "name": "Material"}
            ]
        })),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    let a = &created["data"];
    // AttributeResponse in reference order; no unit, no options yet, empty description out.
    assert_eq!(
        keys(a),
        [
            "id",
            "identifier",
            "type",
            "position",
            "filterable",
            "required",
            "created_at",
            "updated_at",
            "translations"
        ]
    );
    assert_eq!(
        a["translations"],
        json!([
            {"locale": "de-DE", "name": "Material", "description": "Woraus es ist"},
            {"locale": "en-US", "name": "Material"}
        ])
    );
    assert_eq!(
        (a["type"].as_str(), a["position"].as_i64()),
        (Some("select"), Some(2))
    );
    let aid = id(&created);

    // Options: create, rename, list with the attribute.
    let (s, leather) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/attributes/{aid}/options"),
        &admin,
        Some(json!({"position": 1, "translations": [{"locale": "en-US", "name": "Leathr"}]})),
    )
    .await;
    assert_eq!(s, 201, "{leather}");
    assert_eq!(
        keys(&leather["data"]),
        ["id", "attribute_id", "position", "translations"]
    );
    assert_eq!(leather["data"]["attribute_id"], aid.as_str());
    let leather_id = id(&leather);
    let cotton_id = option(&app, &admin, &aid, "Cotton").await;
    let (s, renamed) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{aid}/options/{leather_id}"),
        &admin,
        Some(json!({"position": 1, "translations": [{"locale": "en-US", "name": "Leather"}, {"locale": "de-DE", "name": "Leder"}]})),
    )
    .await;
    assert_eq!(s, 200, "{renamed}");
    assert_eq!(
        renamed["data"]["translations"],
        json!([{"locale": "de-DE", "name": "Leder"}, {"locale": "en-US", "name": "Leather"}])
    );
    let (s, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/attributes/{aid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let opts: Vec<&str> = got["data"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        opts,
        [cotton_id.as_str(), leather_id.as_str()],
        "by position"
    );
    assert_eq!(keys(&got["data"]).last(), Some(&"options"));

    // Full replace: identifier, unit, flags, translations.
    let (s, upd) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{aid}"),
        &admin,
        Some(json!({
            "identifier": "fabric", "type": "select", "unit": "kind", "required": true,
            "translations": [{"locale": "en-US", "name": "Fabric", "description": "What it is made of"}]
        })),
    )
    .await;
    assert_eq!(s, 200, "{upd}");
    assert_eq!(upd["data"]["identifier"], "fabric");
    assert_eq!(upd["data"]["unit"], "kind");
    assert_eq!(upd["data"]["filterable"], false);
    assert_eq!(upd["data"]["required"], true);
    assert_eq!(
        upd["data"]["translations"],
        json!([{"locale": "en-US", "name": "Fabric", "description": "What it is made of"}])
    );

    // A second attribute; the list is ordered by position and holds both.
    let brand = attribute(&app, &admin, "brand", "text").await;
    let (s, list) = rest(&app, Method::GET, "/api/v1/admin/attributes", &admin, None).await;
    assert_eq!(s, 200);
    let ids: Vec<&str> = list["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, [brand.as_str(), aid.as_str()]);
    assert!(list.get("meta").is_none(), "no paging, as the reference");
    assert!(
        list["data"][0].get("options").is_none(),
        "empty options omitted"
    );

    // Conflicts and validation codes.
    let (s, dup) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/attributes",
        &admin,
        Some(json!({"identifier": "brand", "type": "text", "translations": [{"locale": "en-US", "name": "B"}]})),
    )
    .await;
    assert_eq!((s, error(&dup).0), (409, "duplicate_identifier"), "{dup}");
    let (s, dup) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{aid}"),
        &admin,
        Some(json!({"identifier": "brand", "type": "select", "translations": [{"locale": "en-US", "name": "B"}]})),
    )
    .await;
    assert_eq!((s, error(&dup).0), (409, "duplicate_identifier"));
    for (body, expected) in [
        (
            json!({"identifier": "Bad Id", "type": "text", "translations": [{"locale": "en-US", "name": "B"}]}),
            ("invalid_identifier", "identifier"),
        ),
        (
            json!({"type": "text", "translations": [{"locale": "en-US", "name": "B"}]}),
            ("invalid_identifier", "identifier"),
        ),
        (
            json!({"identifier": "size", "type": "color", "translations": [{"locale": "en-US", "name": "B"}]}),
            ("invalid_type", "type"),
        ),
        (
            json!({"identifier": "size", "type": "text", "translations": []}),
            ("validation_error", "Translations"),
        ),
        (
            json!({"identifier": "size", "type": "number", "unit": "x".repeat(21), "translations": [{"locale": "en-US", "name": "B"}]}),
            ("validation_error", "Unit"),
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/attributes",
            &admin,
            Some(body),
        )
        .await;
        assert_eq!((s, error(&e)), (422, expected), "{e}");
    }
    // Options only for select attributes; unknown ids are 404; malformed ids 400.
    let (s, e) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/attributes/{brand}/options"),
        &admin,
        Some(json!({"translations": [{"locale": "en-US", "name": "X"}]})),
    )
    .await;
    assert_eq!((s, error(&e).0), (422, "validation_error"), "{e}");
    let unknown = uuid::Uuid::now_v7();
    for (method, path) in [
        (Method::GET, format!("/api/v1/admin/attributes/{unknown}")),
        (
            Method::DELETE,
            format!("/api/v1/admin/attributes/{unknown}"),
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/attributes/{aid}/options/{unknown}"),
        ),
    ] {
        let (s, e) = rest(&app, method, &path, &admin, None).await;
        assert_eq!((s, error(&e).0), (404, "not_found"), "{path}");
    }
    let (s, e) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/attributes/nope",
        &admin,
        None,
    )
    .await;
    assert_eq!((s, error(&e)), (400, ("invalid_param", "id")));

    // Deletes: option, attribute.
    let (s, body) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/attributes/{aid}/options/{cotton_id}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, body), (204, Value::Null));
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/attributes/{brand}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, list) = rest(&app, Method::GET, "/api/v1/admin/attributes", &admin, None).await;
    assert_eq!(list["data"].as_array().expect("list").len(), 1);

    // Every change was audited.
    let log = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"attribute\", limit: 50) { total items { action } } }",
            json!({}),
        )
        .await
        .ok();
    let mut actions: Vec<&str> = log
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["action"].as_str().expect("action"))
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "create",
            "create",
            "create_option",
            "create_option",
            "delete",
            "delete_option",
            "update",
            "update_option"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn graphql_attributes_in_the_requests_locale() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let r = app
        .gql(
            &admin,
            "mutation($i: AttributeInput!) { createAttribute(input: $i) { id identifier type name description translations { locale name description } options { id } } }",
            json!({"i": {"identifier": "features", "type": "multi_select", "translations": [
                {"locale": "de-DE", "name": "Merkmale", "description": "Besonderheiten"},
                {"locale": "en-US", "name": "Features"}
            ]}}),
        )
        .await
        .ok();
    let aid = r
        .data("createAttribute.id")
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(r.data("createAttribute.type"), "multi_select");
    assert_eq!(r.data("createAttribute.name"), "Merkmale", "default locale");
    assert_eq!(
        r.data("createAttribute.translations"),
        &json!([
            {"locale": "de-DE", "name": "Merkmale", "description": "Besonderheiten"},
            {"locale": "en-US", "name": "Features", "description": null}
        ])
    );
    let r = app
        .gql(
            &admin,
            "mutation($a: UUID!, $i: AttributeOptionInput!) { createAttributeOption(attributeId: $a, input: $i) { id attributeId name } }",
            json!({"a": aid, "i": {"translations": [{"locale": "de-DE", "name": "Leicht"}, {"locale": "en-US", "name": "Lightweight"}]}}),
        )
        .await
        .ok();
    let light = r
        .data("createAttributeOption.id")
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(r.data("createAttributeOption.name"), "Leicht");
    let pid = product(&app, &admin, "LAMP").await;
    let r = app
        .gql(
            &admin,
            "mutation($p: UUID!, $v: [AttributeValueInput!]!) { setProductAttributes(productId: $p, values: $v) { id attributes { attributeIdentifier name optionIds options { id name } } } }",
            json!({"p": pid, "v": [{"attributeId": aid, "optionIds": [light]}]}),
        )
        .await
        .ok();
    assert_eq!(
        r.data("setProductAttributes.attributes"),
        &json!([{"attributeIdentifier": "features", "name": "Merkmale", "optionIds": [light], "options": [{"id": light, "name": "Leicht"}]}])
    );
    let r = app
        .gql(
            &Auth::None,
            "query($s: String!) { product(slug: $s, locale: \"en-US\") { attributes { name description option { id } options { name translations { locale name } } } } }",
            json!({"s": "lamp"}),
        )
        .await
        .ok();
    assert_eq!(
        r.data("product.attributes"),
        &json!([{"name": "Features", "description": "", "option": null, "options": [{"name": "Lightweight", "translations": [{"locale": "de-DE", "name": "Leicht"}, {"locale": "en-US", "name": "Lightweight"}]}]}])
    );
    let r = app
        .gql(&admin, "{ attributes { identifier name } }", json!({}))
        .await
        .ok();
    assert_eq!(
        r.data("attributes"),
        &json!([{"identifier": "features", "name": "Merkmale"}])
    );
    let missing = app
        .gql(
            &admin,
            "query($id: UUID!) { attribute(id: $id) { id } }",
            json!({"id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(missing.code(), "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread")]
async fn values_are_type_checked_set_replaced_and_deleted() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let pid = product(&app, &admin, "CHAIR").await;
    let brand = attribute(&app, &admin, "brand", "text").await;
    let weight = attribute(&app, &admin, "weight", "number").await;
    let waterproof = attribute(&app, &admin, "waterproof", "boolean").await;
    let material = attribute(&app, &admin, "material", "select").await;
    let features = attribute(&app, &admin, "features", "multi_select").await;
    let wood = option(&app, &admin, &material, "Wood").await;
    let steel = option(&app, &admin, &material, "Steel").await;
    let light = option(&app, &admin, &features, "Light").await;
    let stackable = option(&app, &admin, &features, "Stackable").await;
    let foldable = option(&app, &admin, &features, "Foldable").await;
    let path = format!("/api/v1/admin/products/{pid}/attributes");

    let (s, p) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"attributes": [
            {"attribute_id": brand, "value_text": "Oakline"},
            {"attribute_id": weight, "value_numeric": 4.25},
            {"attribute_id": waterproof, "value_boolean": false},
            {"attribute_id": material, "option_id": wood},
            {"attribute_id": features, "option_ids": [stackable, light]}
        ]})),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    // The full product (detail shape), attributes last.
    assert_eq!(p["data"]["id"], pid.as_str());
    assert_eq!(keys(&p["data"]).last(), Some(&"attributes"));
    let attrs = p["data"]["attributes"].as_array().expect("attributes");
    assert_eq!(attrs.len(), 5);
    assert_eq!(
        keys(&attrs[0]),
        [
            "attribute_id",
            "attribute_identifier",
            "type",
            "value_text",
            "translations"
        ]
    );
    // By attribute position, then identifier.
    let idents: Vec<&str> = attrs
        .iter()
        .map(|a| a["attribute_identifier"].as_str().expect("identifier"))
        .collect();
    assert_eq!(
        idents,
        ["brand", "features", "material", "waterproof", "weight"]
    );
    assert_eq!(attrs[4]["value_numeric"], 4.25);
    assert_eq!(
        attrs[3]["value_boolean"], false,
        "false is a value, not omitted"
    );
    assert_eq!(attrs[2]["option_id"], wood.as_str());
    let mut want = vec![light.clone(), stackable.clone()];
    want.sort();
    let mut got: Vec<String> = attrs[1]["option_ids"]
        .as_array()
        .expect("option_ids")
        .iter()
        .map(|o| o.as_str().expect("id").to_owned())
        .collect();
    got.sort();
    assert_eq!(got, want);

    // Replacing: one attribute at a time, the others stay; the multi_select set is replaced.
    let (s, p) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"attributes": [
            {"attribute_id": features, "option_ids": [foldable]},
            {"attribute_id": material, "option_id": steel},
            {"attribute_id": weight, "value_numeric": 5}
        ]})),
    )
    .await;
    assert_eq!(s, 200, "{p}");
    let attrs = p["data"]["attributes"].as_array().expect("attributes");
    assert_eq!(attrs.len(), 5);
    let by = |ident: &str| {
        attrs
            .iter()
            .find(|a| a["attribute_identifier"] == ident)
            .expect("attribute")
            .clone()
    };
    assert_eq!(by("features")["option_ids"], json!([foldable]));
    assert_eq!(by("material")["option_id"], steel.as_str());
    assert_eq!(by("brand")["value_text"], "Oakline");
    assert_eq!(
        serde_json::to_string(&by("weight")["value_numeric"]).expect("json"),
        "5",
        "whole numbers print like Go's float64"
    );

    // Type checking: the field of the type, options of that attribute.
    for (value, field) in [
        (
            json!({"attribute_id": brand, "value_numeric": 3}),
            "ValueNumeric",
        ),
        (json!({"attribute_id": brand}), "ValueText"),
        (
            json!({"attribute_id": brand, "value_text": "  "}),
            "ValueText",
        ),
        (
            json!({"attribute_id": weight, "value_text": "heavy"}),
            "ValueText",
        ),
        (
            json!({"attribute_id": weight, "value_numeric": 1e12}),
            "ValueNumeric",
        ),
        (
            // Rounds to 10^11, one digit more than NUMERIC(15, 4) holds.
            json!({"attribute_id": weight, "value_numeric": 99_999_999_999.999_99}),
            "ValueNumeric",
        ),
        (
            json!({"attribute_id": waterproof, "option_id": wood}),
            "OptionId",
        ),
        (
            json!({"attribute_id": material, "option_id": light}),
            "OptionId",
        ),
        (
            json!({"attribute_id": material, "option_ids": [wood]}),
            "OptionIds",
        ),
        (
            json!({"attribute_id": features, "option_ids": []}),
            "OptionIds",
        ),
        (
            json!({"attribute_id": features, "option_ids": [light, wood]}),
            "OptionIds",
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::PUT,
            &path,
            &admin,
            Some(json!({"attributes": [value]})),
        )
        .await;
        assert_eq!(
            (s, error(&e)),
            (422, ("validation_error", field)),
            "{value} {e}"
        );
    }
    for body in [json!({"attributes": []}), json!({})] {
        let (s, e) = rest(&app, Method::PUT, &path, &admin, Some(body)).await;
        assert_eq!((s, error(&e).0), (422, "validation_error"), "{e}");
    }
    let (s, e) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"attributes": [{"attribute_id": brand, "value_text": "A"}, {"attribute_id": brand, "value_text": "B"}]})),
    )
    .await;
    assert_eq!((s, error(&e).0), (422, "validation_error"));
    // Nothing of the refused requests was written.
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(p["data"]["attributes"].as_array().expect("attrs").len(), 5);
    assert_eq!(
        p["data"]["attributes"]
            .as_array()
            .expect("attrs")
            .iter()
            .find(|a| a["attribute_identifier"] == "brand")
            .expect("brand")["value_text"],
        "Oakline"
    );

    // Unknown attribute, unknown product: 404.
    let unknown = uuid::Uuid::now_v7();
    let (s, e) = rest(
        &app,
        Method::PUT,
        &path,
        &admin,
        Some(json!({"attributes": [{"attribute_id": unknown, "value_text": "x"}]})),
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["detail"].as_str()),
        (404, Some("attribute not found"))
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/products/{unknown}/attributes"),
        &admin,
        Some(json!({"attributes": [{"attribute_id": brand, "value_text": "x"}]})),
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["detail"].as_str()),
        (404, Some("product not found"))
    );

    // Deleting one value.
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{pid}/attributes/{brand}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, e) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{pid}/attributes/{brand}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["detail"].as_str()),
        (404, Some("attribute value not found"))
    );

    // Variants: the variant entity with its values; a variant of another product is 404.
    let vid = variant(&app, &admin, &pid, "CHAIR-RED").await;
    let other = product(&app, &admin, "TABLE").await;
    let vpath = format!("/api/v1/admin/products/{pid}/variants/{vid}/attributes");
    let (s, v) = rest(
        &app,
        Method::PUT,
        &vpath,
        &admin,
        Some(json!({"attributes": [{"attribute_id": waterproof, "value_boolean": true}, {"attribute_id": weight, "value_numeric": 4.5}]})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["id"], vid.as_str());
    assert_eq!(keys(&v["data"]).last(), Some(&"attributes"));
    assert_eq!(
        v["data"]["attributes"],
        json!([
            {"attribute_id": waterproof, "attribute_identifier": "waterproof", "type": "boolean", "value_boolean": true, "translations": [{"locale": "en-US", "name": "waterproof"}]},
            {"attribute_id": weight, "attribute_identifier": "weight", "type": "number", "value_numeric": 4.5, "translations": [{"locale": "en-US", "name": "weight"}]}
        ])
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/products/{other}/variants/{vid}/attributes"),
        &admin,
        Some(json!({"attributes": [{"attribute_id": waterproof, "value_boolean": true}]})),
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["detail"].as_str()),
        (404, Some("variant not found"))
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &vpath,
        &admin,
        Some(json!({"attributes": [{"attribute_id": waterproof, "value_text": "yes"}]})),
    )
    .await;
    assert_eq!((s, error(&e)), (422, ("validation_error", "ValueText")));
    // The product detail shows the variant's values, the product's own stay separate.
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        p["data"]["variants"][0]["attributes"]
            .as_array()
            .expect("v")
            .len(),
        2
    );
    assert_eq!(p["data"]["attributes"].as_array().expect("p").len(), 4);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{pid}/variants/{vid}/attributes/{weight}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{other}/variants/{vid}/attributes/{waterproof}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 404, "variant of another product");
    // A variant without values has no `attributes` key (omitted when empty).
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{other}"),
        &admin,
        None,
    )
    .await;
    assert!(p["data"].get("attributes").is_none(), "{p}");

    let log = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"product\", limit: 50) { items { action entityId } } }",
            json!({}),
        )
        .await
        .ok();
    let actions: Vec<&str> = log
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["action"].as_str().expect("action"))
        .collect();
    for a in [
        "update_attributes",
        "delete_attribute",
        "update_variant_attributes",
        "delete_variant_attribute",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deletes_cascade_and_values_in_use_are_protected() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let pid = product(&app, &admin, "SOFA").await;
    let vid = variant(&app, &admin, &pid, "SOFA-GREY").await;
    let material = attribute(&app, &admin, "material", "select").await;
    let linen = option(&app, &admin, &material, "Linen").await;
    let brand = attribute(&app, &admin, "brand", "text").await;
    for path in [
        format!("/api/v1/admin/products/{pid}/attributes"),
        format!("/api/v1/admin/products/{pid}/variants/{vid}/attributes"),
    ] {
        let (s, b) = rest(
            &app,
            Method::PUT,
            &path,
            &admin,
            Some(json!({"attributes": [{"attribute_id": material, "option_id": linen}, {"attribute_id": brand, "value_text": "Couchy"}]})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
    }
    // An option in use cannot go; the type cannot change while values exist.
    let (s, e) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/attributes/{material}/options/{linen}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, error(&e).0), (409, "conflict"), "{e}");
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{brand}"),
        &admin,
        Some(json!({"identifier": "brand", "type": "number", "translations": [{"locale": "en-US", "name": "Brand"}]})),
    )
    .await;
    assert_eq!((s, error(&e).0), (409, "conflict"), "{e}");
    // Deleting the attribute deletes its values on products and variants.
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/attributes/{material}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    let idents = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("attributes")
            .iter()
            .map(|a| {
                a["attribute_identifier"]
                    .as_str()
                    .expect("ident")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(idents(&p["data"]["attributes"]), ["brand"]);
    assert_eq!(idents(&p["data"]["variants"][0]["attributes"]), ["brand"]);
    let rows = std::process::Command::new("psql")
        .args([
            app.db_url.as_str(),
            "-tAc",
            "SELECT (SELECT count(*) FROM product_attribute_values) || ',' || (SELECT count(*) FROM variant_attribute_values) || ',' || (SELECT count(*) FROM attribute_options)",
        ])
        .output()
        .expect("psql");
    assert_eq!(String::from_utf8_lossy(&rows.stdout).trim(), "1,1,0");
    // Once no value uses it, the type can change.
    for path in [
        format!("/api/v1/admin/products/{pid}/attributes/{brand}"),
        format!("/api/v1/admin/products/{pid}/variants/{vid}/attributes/{brand}"),
    ] {
        let (s, _) = rest(&app, Method::DELETE, &path, &admin, None).await;
        assert_eq!(s, 204);
    }
    let (s, b) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{brand}"),
        &admin,
        Some(json!({"identifier": "brand", "type": "number", "translations": [{"locale": "en-US", "name": "Brand"}]})),
    )
    .await;
    assert_eq!(
        (s, b["data"]["type"].as_str()),
        (200, Some("number")),
        "{b}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_product_detail_shows_its_attributes_in_the_reference_shape() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let (s, body) = rest(
        &app,
        Method::GET,
        "/api/v1/store/products/t-shirt-basic",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let expected = json!([
        {"attribute_id": "0d000000-0000-4000-8007-000000000001", "attribute_identifier": "brand", "type": "text", "value_text": "StyleWear",
         "translations": [{"locale": "de-DE", "name": "Marke", "description": "Hersteller oder Markenname"}, {"locale": "en-US", "name": "Brand", "description": "Manufacturer or brand name"}]},
        {"attribute_id": "0d000000-0000-4000-8007-000000000002", "attribute_identifier": "material", "type": "select", "option_id": "0d000000-0000-4000-8008-000000000001",
         "translations": [{"locale": "de-DE", "name": "Material"}, {"locale": "en-US", "name": "Material"}]},
        {"attribute_id": "0d000000-0000-4000-8007-000000000003", "attribute_identifier": "weight", "type": "number", "unit": "g", "value_numeric": 200,
         "translations": [{"locale": "de-DE", "name": "Gewicht"}, {"locale": "en-US", "name": "Weight"}]},
        {"attribute_id": "0d000000-0000-4000-8007-000000000005", "attribute_identifier": "features", "type": "multi_select", "option_ids": ["0d000000-0000-4000-8008-000000000005", "0d000000-0000-4000-8008-000000000007"],
         "translations": [{"locale": "de-DE", "name": "Merkmale"}, {"locale": "en-US", "name": "Features"}]}
    ]);
    // Byte order: field order and `200`, not `200.0`.
    assert_eq!(
        serde_json::to_string(&body["data"]["attributes"]).expect("json"),
        serde_json::to_string(&expected).expect("json")
    );
    assert_eq!(keys(&body["data"]).last(), Some(&"attributes"));
    // Variants without values carry no `attributes`; lists carry none at all.
    assert!(body["data"]["variants"][0].get("attributes").is_none());
    let (_, list) = rest(
        &app,
        Method::GET,
        "/api/v1/store/products?limit=25",
        &Auth::None,
        None,
    )
    .await;
    assert!(
        list["data"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i.get("attributes").is_none())
    );
    // The same by id and in the admin detail.
    for (auth, path) in [
        (
            Auth::None,
            "/api/v1/store/products/id/0d000000-0000-4000-8005-000000000003",
        ),
        (
            app.staff("admin").await,
            "/api/v1/admin/products/0d000000-0000-4000-8005-000000000003",
        ),
    ] {
        let (s, p) = rest(&app, Method::GET, path, &auth, None).await;
        assert_eq!(s, 200);
        assert_eq!(p["data"]["attributes"], expected, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn attribute_permissions_are_enforced() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let (customer, _) = app.customer().await;
    let pid = product(&app, &admin, "DESK").await;
    let aid = attribute(&app, &admin, "brand", "text").await;
    let reader = create_key(&app, &admin, &["products.read", "products.create"]).await;
    let body = json!({"attributes": [{"attribute_id": aid, "value_text": "X"}]});
    let set = format!("/api/v1/admin/products/{pid}/attributes");

    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/attributes",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!(s, 401);
    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/attributes",
        &customer,
        None,
    )
    .await;
    assert_eq!(s, 403);
    // A staff key without products.update reads and creates, but does not change values or
    // definitions, and deletes nothing.
    let (s, _) = rest(&app, Method::GET, "/api/v1/admin/attributes", &reader, None).await;
    assert_eq!(s, 200);
    let (s, e) = rest(&app, Method::PUT, &set, &reader, Some(body.clone())).await;
    assert_eq!((s, error(&e).0), (403, "forbidden"), "{e}");
    let (s, _) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/attributes/{aid}"),
        &reader,
        Some(json!({"identifier": "brand2", "type": "text", "translations": [{"locale": "en-US", "name": "B"}]})),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/products/{pid}/attributes/{aid}"),
        &reader,
        None,
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/attributes/{aid}"),
        &reader,
        None,
    )
    .await;
    assert_eq!(s, 403);
    let g = app
        .gql(
            &reader,
            "mutation($p: UUID!, $a: UUID!) { setProductAttributes(productId: $p, values: [{attributeId: $a, valueText: \"X\"}]) { id } }",
            json!({"p": pid, "a": aid}),
        )
        .await;
    assert_eq!(g.code(), "FORBIDDEN");
    let (s, _) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/attributes",
        &reader,
        Some(json!({"identifier": "colour", "type": "text", "translations": [{"locale": "en-US", "name": "C"}]})),
    )
    .await;
    assert_eq!(s, 201, "products.create suffices to create");
    // The refused write changed nothing.
    let (_, p) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/products/{pid}"),
        &admin,
        None,
    )
    .await;
    assert!(p["data"].get("attributes").is_none());
    let writer = create_key(&app, &admin, &["products.update"]).await;
    let (s, p) = rest(&app, Method::PUT, &set, &writer, Some(body)).await;
    assert_eq!(
        (s, p["data"]["attributes"][0]["value_text"].as_str()),
        (200, Some("X")),
        "{p}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn attributes_on_a_page_cost_the_same_statements_whatever_its_size() {
    const Q: &str = "query($l: Int) { adminProducts(limit: $l) { items { id attributes { attributeIdentifier name valueText option { name } options { name } } variants { id attributes { attributeIdentifier valueBoolean } } } } }";
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    app.seed_products(30).await;
    let brand = attribute(&app, &admin, "brand", "text").await;
    let flag = attribute(&app, &admin, "flag", "boolean").await;
    let r = app
        .gql(
            &admin,
            "{ adminProducts(limit: 100) { items { id variants { id } } } }",
            json!({}),
        )
        .await
        .ok();
    for item in r.data("adminProducts.items").as_array().expect("items") {
        let pid = item["id"].as_str().expect("id");
        let (s, _) = rest(
            &app,
            Method::PUT,
            &format!("/api/v1/admin/products/{pid}/attributes"),
            &admin,
            Some(json!({"attributes": [{"attribute_id": brand, "value_text": "Acme"}]})),
        )
        .await;
        assert_eq!(s, 200);
        for v in item["variants"].as_array().expect("variants") {
            let vid = v["id"].as_str().expect("vid");
            let (s, _) = rest(
                &app,
                Method::PUT,
                &format!("/api/v1/admin/products/{pid}/variants/{vid}/attributes"),
                &admin,
                Some(json!({"attributes": [{"attribute_id": flag, "value_boolean": true}]})),
            )
            .await;
            assert_eq!(s, 200);
        }
    }
    let count = |limit: i64| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let before = app.statement_count();
            let r = app.gql(&admin, Q, json!({"l": limit})).await.ok();
            (app.statement_count() - before, r)
        }
    };
    // Warm the pool so connection setup is not counted.
    count(30).await;
    count(30).await;
    let (five, r5) = count(5).await;
    let (thirty, r30) = count(30).await;
    assert_eq!(
        r5.data("adminProducts.items")
            .as_array()
            .expect("items")
            .len(),
        5
    );
    let items = r30.data("adminProducts.items").as_array().expect("items");
    assert_eq!(items.len(), 30);
    assert!(
        items
            .iter()
            .all(|i| i["attributes"][0]["valueText"] == "Acme")
    );
    assert!(
        items
            .iter()
            .all(|i| i["variants"][0]["attributes"][0]["valueBoolean"] == true)
    );
    assert_eq!(five, thirty, "statements at 5 vs 30 per page");
}

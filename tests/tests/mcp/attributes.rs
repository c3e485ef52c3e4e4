//! Attribute tools: an agent defines an attribute with an option and sets a product's and a
//! variant's values, type-checked like every other surface.

use serde_json::json;
use stoa_tests::TestApp;

use crate::support::{call, connect, error_code, ok};

#[tokio::test(flavor = "multi_thread")]
async fn agents_define_attributes_and_set_product_values() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let staff = app.staff("admin").await;
    let mcp = connect(&app, "admin", &staff).await;

    let list = ok(&call(&mcp, "admin_list_attributes", json!({})).await);
    assert!(
        list["attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .any(|a| a["identifier"] == "brand")
    );
    let created = ok(&call(
        &mcp,
        "admin_create_attribute",
        json!({
            "identifier": "finish", "type": "select", "filterable": true,
            "name": "Oberfläche", "description": "Art der Oberfläche"
        }),
    )
    .await);
    assert_eq!(created["type"], "select");
    // `name`/`description` became the one translation in the default locale (de-DE).
    assert_eq!(created["translations"][0]["locale"], "de-DE");
    assert_eq!(created["translations"][0]["name"], "Oberfläche");
    assert_eq!(
        created["translations"][0]["description"],
        "Art der Oberfläche"
    );
    let aid = created["id"].as_str().expect("id").to_owned();
    let matte = ok(&call(
        &mcp,
        "admin_create_attribute_option",
        json!({"attribute_id": aid, "name": "Matt"}),
    )
    .await);
    let matte_id = matte["id"].as_str().expect("option id").to_owned();

    // The coffee machine (demo) gets the finish and a brand; a wrong type is refused.
    let product = "0d000000-0000-4000-8005-000000000005";
    let set = ok(&call(
        &mcp,
        "admin_set_product_attributes",
        json!({"product_id": product, "attributes": [
            {"attribute_id": aid, "option_id": matte_id},
            {"attribute_id": "0d000000-0000-4000-8007-000000000001", "value_text": "BrewMaster Pro"}
        ]}),
    )
    .await);
    let attrs = set["attributes"].as_array().expect("attributes");
    let finish = attrs
        .iter()
        .find(|a| a["attributeIdentifier"] == "finish")
        .expect("finish");
    assert_eq!(finish["option"]["name"], "Matt");
    let brand = attrs
        .iter()
        .find(|a| a["attributeIdentifier"] == "brand")
        .expect("brand");
    assert_eq!(brand["valueText"], "BrewMaster Pro");
    let wrong = call(
        &mcp,
        "admin_set_product_attributes",
        json!({"product_id": product, "attributes": [{"attribute_id": aid, "value_text": "shiny"}]}),
    )
    .await;
    assert_eq!(error_code(&wrong), "VALIDATION_ERROR");

    // A variant of the t-shirt.
    let v = ok(&call(
        &mcp,
        "admin_set_variant_attributes",
        json!({
            "product_id": "0d000000-0000-4000-8005-000000000003",
            "variant_id": "0d000000-0000-4000-8006-000000000003",
            "attributes": [{"attribute_id": "0d000000-0000-4000-8007-000000000003", "value_numeric": 180}]
        }),
    )
    .await);
    assert_eq!(v["attributes"][0]["valueNumeric"], 180.0);

    // The option is in use; the attribute goes with its values.
    let in_use = call(
        &mcp,
        "admin_delete_attribute_option",
        json!({"attribute_id": aid, "option_id": matte_id}),
    )
    .await;
    assert_eq!(error_code(&in_use), "CONFLICT");
    let deleted = call(&mcp, "admin_delete_attribute", json!({"id": aid})).await;
    assert_ne!(deleted.is_error, Some(true));
    let gone = call(&mcp, "admin_get_attribute", json!({"id": aid})).await;
    assert_eq!(error_code(&gone), "NOT_FOUND");
    let after = app
        .gql(
            &staff,
            "query($id: UUID!) { adminProduct(id: $id) { attributes { attributeIdentifier } } }",
            json!({"id": product}),
        )
        .await
        .ok();
    let left: Vec<&str> = after
        .data("adminProduct.attributes")
        .as_array()
        .expect("attributes")
        .iter()
        .map(|a| a["attributeIdentifier"].as_str().expect("identifier"))
        .collect();
    assert_eq!(left, ["brand", "material"]);
}

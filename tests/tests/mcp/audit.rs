//! The audit log names the actor and the surface of every staff change (GraphQL, REST, an
//! agent through MCP), the changed fields, and the client address from the connection.

use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, ok};

async fn audit_rest(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let r = app
        .http()
        .get(app.url(&format!("/api/v1/admin/audit-log{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_surface_is_audited_with_actor_channel_diff_and_address() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let Auth::Bearer(token) = &admin else {
        panic!("bearer token")
    };

    // GraphQL.
    app.gql(
        &admin,
        "mutation { createTag(input: {name: \"Neu\", slug: \"neu\"}) { id } }",
        json!({}),
    )
    .await
    .ok();
    // REST, with a forged X-Forwarded-For from an untrusted peer.
    let r = app
        .http()
        .post(app.url("/api/v1/admin/tags"))
        .bearer_auth(token)
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"name": "Sale", "slug": "sale"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    // MCP: an agent's tool call.
    let mcp = connect(&app, "admin", &admin).await;
    let tag = ok(&call(
        &mcp,
        "admin_create_tag",
        json!({"name": "Bio", "slug": "bio"}),
    )
    .await);
    let tag_id = tag["id"].as_str().expect("id").to_owned();
    ok(&call(
        &mcp,
        "admin_update_tag",
        json!({"id": tag_id, "name": "Organic", "slug": "organic"}),
    )
    .await);

    let (s, all) = audit_rest(&app, token, "?entity_type=tag").await;
    assert_eq!(s, 200, "{all}");
    let items = all["data"].as_array().expect("items");
    assert_eq!(all["meta"]["total"], 4);
    let channels: Vec<&str> = items
        .iter()
        .map(|e| e["channel"].as_str().expect("channel"))
        .collect();
    assert_eq!(channels, ["mcp", "mcp", "rest", "graphql"], "newest first");
    for e in items {
        assert_eq!(e["user_type"], "admin");
        assert!(e["user_id"].is_string());
        assert_eq!(
            e["ip_address"], "127.0.0.1",
            "the connection's address, not a forged header"
        );
    }
    let update = &items[0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["entity_id"], tag_id.as_str());
    assert_eq!(
        update["changes"]["name"],
        json!({"from": "Bio", "to": "Organic"})
    );

    // Filters and their errors.
    let (_, by_action) = audit_rest(&app, token, "?entity_type=tag&action=update").await;
    assert_eq!(by_action["meta"]["total"], 1);
    let (_, agent) = audit_rest(&app, token, "?channel=mcp").await;
    assert_eq!(agent["meta"]["total"], 2);
    let (_, by_entity) = audit_rest(&app, token, &format!("?entity_id={tag_id}")).await;
    assert_eq!(by_entity["meta"]["total"], 2);
    let (s, bad) = audit_rest(&app, token, "?user_id=nope").await;
    assert_eq!(
        (s, bad["errors"][0]["code"].as_str()),
        (400, Some("invalid_user_id"))
    );
    let (s, bad) = audit_rest(&app, token, "?entity_id=nope").await;
    assert_eq!(
        (s, bad["errors"][0]["code"].as_str()),
        (400, Some("invalid_entity_id"))
    );

    // Only `audit.read` may read it.
    let manager = app.staff("manager").await;
    let Auth::Bearer(m) = &manager else {
        panic!("bearer token")
    };
    let (s, _) = audit_rest(&app, m, "").await;
    assert_eq!(s, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let app =
        TestApp::with_config(|c| c.server.trusted_proxies = vec!["127.0.0.1/32".into()]).await;
    let admin = app.staff("admin").await;
    let Auth::Bearer(token) = &admin else {
        panic!("bearer token")
    };
    let r = app
        .http()
        .post(app.url("/api/v1/admin/tags"))
        .bearer_auth(token)
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"name": "Sale", "slug": "sale"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    let (_, log) = audit_rest(&app, token, "?entity_type=tag").await;
    assert_eq!(log["data"][0]["ip_address"], "203.0.113.9");
    assert_eq!(log["data"][0]["channel"], "rest");
}

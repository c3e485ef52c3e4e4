//! Media tools: list and delete (uploads are not exposed over MCP, as in the reference).

use serde_json::json;
use stoa_tests::{Auth, TestApp};

use crate::support::{call, connect, error_code, ok};

const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b";

async fn upload(app: &TestApp, auth: &Auth) -> serde_json::Value {
    let Auth::Bearer(token) = auth else {
        panic!("bearer expected")
    };
    let part = reqwest::multipart::Part::bytes(GIF.to_vec())
        .file_name("dot.gif")
        .mime_str("image/gif")
        .expect("mime");
    let resp = app
        .http()
        .post(app.url("/api/v1/admin/media"))
        .header("authorization", format!("Bearer {token}"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), 201);
    resp.json::<serde_json::Value>().await.expect("json")["data"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_list_and_delete_media() {
    let dir = tempfile::tempdir().expect("dir");
    let root = dir.path().to_owned();
    let app = TestApp::with_config(move |c| c.media.local_path = root).await;
    let admin = app.staff("admin").await;
    let m = upload(&app, &admin).await;
    let path = m["storage_path"].as_str().expect("path");
    assert!(dir.path().join(path).is_file());

    let mcp = connect(&app, "admin", &admin).await;
    let list = ok(&call(&mcp, "admin_list_media", json!({"mime_type": "image/gif"})).await);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], m["id"]);
    assert_eq!(list["items"][0]["url"], m["url"]);

    let manager = app.staff("manager").await;
    let as_manager = connect(&app, "admin", &manager).await;
    let denied = call(&as_manager, "admin_delete_media", json!({"id": m["id"]})).await;
    assert_eq!(error_code(&denied), "FORBIDDEN");

    let deleted = ok(&call(&mcp, "admin_delete_media", json!({"id": m["id"]})).await);
    assert_eq!(deleted["deleteMedia"], true);
    assert!(!dir.path().join(path).exists());
    let again = call(&mcp, "admin_delete_media", json!({"id": m["id"]})).await;
    assert_eq!(error_code(&again), "NOT_FOUND");
    let list = ok(&call(&mcp, "admin_list_media", json!({})).await);
    assert_eq!(list["total"], 0);
}

//! Media: uploads through GraphQL (multipart request spec) and REST (multipart form), type
//! sniffing, limits, permissions, `/uploads/*` serving (no listings, no traversal), product
//! media, and the S3 backend against a real S3-compatible server (moto).

use std::path::Path;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use stoa_tests::{Auth, GqlResponse, TestApp};

/// A valid 1×1 PNG.
pub(crate) const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\x9c\x63\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99\x3d\x1d\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
/// The start of a Windows executable.
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00This program cannot be run in DOS mode.";
const SVG: &[u8] = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><script>alert(1)</script></svg>\n";

const UPLOAD: &str = "mutation($file: Upload, $alt: String) { uploadMedia(file: $file, altText: $alt) { id filename mimeType size storagePath url altText createdAt } }";
const FIELDS: &str = "id filename mimeType size storagePath url altText";

fn auth_header(auth: &Auth) -> Option<String> {
    match auth {
        Auth::None => None,
        Auth::Bearer(t) => Some(format!("Bearer {t}")),
        Auth::ApiKey(k) => Some(format!("ApiKey {k}")),
        Auth::Raw(r) => Some(r.clone()),
    }
}

fn file_part(bytes: &[u8], name: &str, mime: &str) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name(name.to_owned())
        .mime_str(mime)
        .expect("mime")
}

/// An upload through `POST /graphql` as a multipart request.
pub(crate) async fn gql_upload(
    app: &TestApp,
    auth: &Auth,
    file: Option<(&[u8], &str, &str)>,
    alt: Option<&str>,
) -> GqlResponse {
    let ops = json!({ "query": UPLOAD, "variables": { "file": null, "alt": alt } });
    let mut form = Form::new().text("operations", ops.to_string());
    match file {
        Some((bytes, name, mime)) => {
            form = form
                .text("map", r#"{"0":["variables.file"]}"#)
                .part("0", file_part(bytes, name, mime));
        }
        None => form = form.text("map", "{}"),
    }
    let mut req = app.http().post(app.url("/graphql")).multipart(form);
    if let Some(h) = auth_header(auth) {
        req = req.header("authorization", h);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("text");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    GqlResponse { status, body }
}

/// An upload through `POST /api/v1/admin/media`.
async fn rest_upload(
    app: &TestApp,
    auth: &Auth,
    file: Option<(&[u8], &str, &str)>,
    alt: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = Form::new();
    if let Some(a) = alt {
        form = form.text("alt_text", a.to_owned());
    }
    if let Some((bytes, name, mime)) = file {
        form = form.part("file", file_part(bytes, name, mime));
    }
    let mut req = app
        .http()
        .post(app.url("/api/v1/admin/media"))
        .multipart(form);
    if let Some(h) = auth_header(auth) {
        req = req.header("authorization", h);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status();
    let text = resp.text().await.expect("text");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn rest(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    auth: &Auth,
) -> (StatusCode, String) {
    let mut req = app.http().request(method, app.url(path));
    if let Some(h) = auth_header(auth) {
        req = req.header("authorization", h);
    }
    let resp = req.send().await.expect("send");
    (resp.status(), resp.text().await.expect("text"))
}

fn rest_error(v: &Value) -> (&str, &str) {
    (
        v["errors"][0]["code"].as_str().unwrap_or(""),
        v["errors"][0]["detail"].as_str().unwrap_or(""),
    )
}

async fn local_app(dir: &Path) -> TestApp {
    let dir = dir.to_owned();
    TestApp::with_config(move |c| c.media.local_path = dir).await
}

async fn create_key(app: &TestApp, auth: &Auth, perms: &[&str]) -> Auth {
    let r = app
        .gql(
            auth,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "media-test", "permissions": perms}}),
        )
        .await
        .ok();
    Auth::ApiKey(r.data("createApiKey.key").as_str().expect("key").to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn graphql_upload_is_served_listed_attached_and_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let app = local_app(dir.path()).await;
    let admin = app.staff("admin").await;

    let r = gql_upload(
        &app,
        &admin,
        Some((PNG, "My Photo (1).png", "image/png")),
        Some("A pixel"),
    )
    .await
    .ok();
    let m = r.data("uploadMedia").clone();
    assert_eq!(m["filename"], "My Photo (1).png");
    assert_eq!(m["mimeType"], "image/png");
    assert_eq!(m["size"], PNG.len());
    assert_eq!(m["altText"], "A pixel");
    let path = m["storagePath"].as_str().expect("path");
    let parts: Vec<&str> = path.split('/').collect();
    assert_eq!(parts.len(), 3, "{path}");
    assert_eq!(parts[0], chrono::Utc::now().format("%Y").to_string());
    assert_eq!(parts[1], chrono::Utc::now().format("%m").to_string());
    assert!(
        parts[2][..8].chars().all(|c| c.is_ascii_hexdigit()),
        "{path}"
    );
    assert_eq!(&parts[2][8..], "-My-Photo-1-.png");
    let url = m["url"].as_str().expect("url").to_owned();
    assert_eq!(url, format!("/uploads/{path}"));
    assert!(dir.path().join(path).is_file());

    // Served with its sniffed type.
    let resp = app.http().get(app.url(&url)).send().await.expect("get");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.expect("bytes").as_ref(), PNG);

    // Listed and fetched.
    let id = m["id"].as_str().expect("id").to_owned();
    let list = app
        .gql(
            &admin,
            &format!("{{ media(limit: 10) {{ total page limit pages items {{ {FIELDS} }} }} }}"),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(list.data("media.total"), 1);
    assert_eq!(list.data("media.items")[0]["id"], id.as_str());
    let png_only = app
        .gql(
            &admin,
            "{ media(mimeType: \"application/pdf\") { total items { id } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(png_only.data("media.total"), 0);
    let one = app
        .gql(
            &admin,
            &format!("query($id: UUID!) {{ mediaItem(id: $id) {{ {FIELDS} }} }}"),
            json!({"id": id}),
        )
        .await
        .ok();
    assert_eq!(one.data("mediaItem.url"), url.as_str());

    // Attached to a product (order = position), URL from the storage.
    let p = app
        .gql(
            &admin,
            "mutation($i: ProductInput!) { createProduct(input: $i) { id } }",
            json!({"i": {"sku": "MEDIA-1", "translations": [{"locale": "de-DE", "name": "Bild", "slug": "bild"}]}}),
        )
        .await
        .ok();
    let pid = p.data("createProduct.id").as_str().expect("pid").to_owned();
    let second = gql_upload(&app, &admin, Some((PNG, "b.png", "image/png")), None)
        .await
        .ok();
    let id2 = second
        .data("uploadMedia.id")
        .as_str()
        .expect("id")
        .to_owned();
    let up = app
        .gql(
            &admin,
            "mutation($id: UUID!, $i: ProductInput!) { updateProduct(id: $id, input: $i) { media { mediaId position url } } }",
            json!({"id": pid, "i": {"mediaIds": [id2, id]}}),
        )
        .await
        .ok();
    let media = up.data("updateProduct.media").as_array().expect("media");
    assert_eq!(media.len(), 2);
    assert_eq!(media[0]["mediaId"], id2.as_str());
    assert_eq!(media[1]["mediaId"], id.as_str());
    assert_eq!(media[1]["position"], 1);
    assert_eq!(media[1]["url"], url.as_str());
    let unknown = app
        .gql(
            &admin,
            "mutation($id: UUID!, $i: ProductInput!) { updateProduct(id: $id, input: $i) { id } }",
            json!({"id": pid, "i": {"mediaIds": [uuid::Uuid::now_v7()]}}),
        )
        .await;
    assert_eq!(unknown.code(), "CONFLICT");

    // Deleted: the file goes, the product loses it, the audit log has both.
    let del = app
        .gql(
            &admin,
            "mutation($id: UUID!) { deleteMedia(id: $id) }",
            json!({"id": id}),
        )
        .await
        .ok();
    assert_eq!(del.data("deleteMedia"), true);
    assert!(!dir.path().join(path).exists());
    let gone = app.http().get(app.url(&url)).send().await.expect("get");
    assert_eq!(gone.status(), 404);
    let again = app
        .gql(
            &admin,
            "mutation($id: UUID!) { deleteMedia(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(again.code(), "NOT_FOUND");
    let prod = app
        .gql(
            &admin,
            "query($id: UUID!) { adminProduct(id: $id) { media { mediaId } } }",
            json!({"id": pid}),
        )
        .await
        .ok();
    assert_eq!(
        prod.data("adminProduct.media")
            .as_array()
            .expect("media")
            .len(),
        1
    );
    let audit = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"media\") { items { action entityId } } }",
            json!({}),
        )
        .await
        .ok();
    let actions: Vec<&str> = audit
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["entityId"] == id.as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["delete", "create"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn rest_upload_list_get_delete_read_like_the_reference() {
    let dir = tempfile::tempdir().expect("dir");
    let app = local_app(dir.path()).await;
    let admin = app.staff("admin").await;

    let (status, body) = rest_upload(
        &app,
        &admin,
        Some((PNG, "shirt.png", "image/png")),
        Some("Shirt"),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let keys: Vec<&str> = body["data"]
        .as_object()
        .expect("data")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "filename",
            "mime_type",
            "size",
            "storage_path",
            "url",
            "alt_text",
            "created_at"
        ]
    );
    let m = &body["data"];
    assert_eq!(m["mime_type"], "image/png");
    assert_eq!(m["alt_text"], "Shirt");
    let id = m["id"].as_str().expect("id").to_owned();
    let url = m["url"].as_str().expect("url").to_owned();
    let path = m["storage_path"].as_str().expect("path").to_owned();
    assert!(url.ends_with("-shirt.png"), "{url}");
    let served = app.http().get(app.url(&url)).send().await.expect("get");
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");

    let (s, text) = rest(
        &app,
        reqwest::Method::GET,
        "/api/v1/admin/media?limit=5&mime_type=image/png",
        &admin,
    )
    .await;
    assert_eq!(s, 200, "{text}");
    let list: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(list["data"][0]["id"], id.as_str());
    assert_eq!(
        list["meta"],
        json!({"total": 1, "page": 1, "limit": 5, "pages": 1})
    );
    let (_, text) = rest(
        &app,
        reqwest::Method::GET,
        "/api/v1/admin/media?mime_type=application/pdf",
        &admin,
    )
    .await;
    let empty: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(empty["data"], json!([]));
    assert_eq!(empty["meta"]["limit"], 20);

    let (s, text) = rest(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!(s, 200);
    let one: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(one["data"]["url"], url.as_str());
    let (s, text) = rest(
        &app,
        reqwest::Method::GET,
        "/api/v1/admin/media/not-a-uuid",
        &admin,
    )
    .await;
    assert_eq!(s, 400);
    let bad: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(rest_error(&bad).0, "invalid_id");

    // A product's media, set through PUT `media_ids`, in the reference's product shape.
    let created = app
        .http()
        .post(app.url("/api/v1/admin/products"))
        .header("authorization", auth_header(&admin).expect("auth"))
        .json(&json!({"sku": "REST-MEDIA", "currency": "EUR", "translations": [{"locale": "de-DE", "name": "Hemd", "slug": "hemd"}]}))
        .send()
        .await
        .expect("create product");
    assert_eq!(created.status(), 201);
    let pid = created.json::<Value>().await.expect("json")["data"]["id"]
        .as_str()
        .expect("pid")
        .to_owned();
    let put = app
        .http()
        .put(app.url(&format!("/api/v1/admin/products/{pid}")))
        .header("authorization", auth_header(&admin).expect("auth"))
        .json(&json!({"media_ids": [id]}))
        .send()
        .await
        .expect("put product");
    assert_eq!(put.status(), 200);
    let p: Value = put.json().await.expect("json");
    assert_eq!(
        p["data"]["media"],
        json!([{"media_id": id, "position": 0, "url": url}])
    );

    let (s, text) = rest(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!((s.as_u16(), text.as_str()), (204, ""));
    assert!(!dir.path().join(&path).exists());
    let (s, text) = rest(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!(s, 404);
    let nf: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(rest_error(&nf), ("not_found", "media not found"));
    let (s, _) = rest(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn types_are_sniffed_and_svg_needs_its_declaration() {
    let dir = tempfile::tempdir().expect("dir");
    let app = local_app(dir.path()).await;
    let admin = app.staff("admin").await;

    // An executable renamed .png.
    let (s, body) = rest_upload(&app, &admin, Some((EXE, "cat.png", "image/png")), None).await;
    assert_eq!(s, 415, "{body}");
    assert_eq!(rest_error(&body).0, "unsupported_media_type");
    let g = gql_upload(&app, &admin, Some((EXE, "cat.png", "image/png")), None).await;
    assert_eq!(g.code(), "UNSUPPORTED_MEDIA_TYPE");
    // Plain text, whatever it claims.
    let (s, _) = rest_upload(
        &app,
        &admin,
        Some((b"hello", "a.svg", "image/svg+xml")),
        None,
    )
    .await;
    assert_eq!(s, 415);
    // SVG declared as something else.
    let (s, _) = rest_upload(&app, &admin, Some((SVG, "a.png", "image/png")), None).await;
    assert_eq!(s, 415);
    // A PNG declared as SVG is a PNG.
    let (s, body) = rest_upload(&app, &admin, Some((PNG, "x.svg", "image/svg+xml")), None).await;
    assert_eq!(
        (s.as_u16(), body["data"]["mime_type"].as_str()),
        (201, Some("image/png"))
    );
    // Nothing was stored for the refused ones.
    let (_, text) = rest(&app, reqwest::Method::GET, "/api/v1/admin/media", &admin).await;
    let list: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(list["meta"]["total"], 1);

    // SVG declared as SVG: accepted, and served so that its script cannot run.
    let (s, body) = rest_upload(&app, &admin, Some((SVG, "logo.svg", "image/svg+xml")), None).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["data"]["mime_type"], "image/svg+xml");
    let url = body["data"]["url"].as_str().expect("url");
    let resp = app.http().get(app.url(url)).send().await.expect("get");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .expect("csp");
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn limits_missing_files_and_bad_forms() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path().to_owned();
    let app = TestApp::with_config(move |c| {
        c.media.local_path = d;
        c.server.max_upload_size = 64 * 1024;
    })
    .await;
    let admin = app.staff("admin").await;
    let mut big = PNG.to_vec();
    big.resize(100 * 1024, 0);

    let (s, body) = rest_upload(&app, &admin, Some((&big, "big.png", "image/png")), None).await;
    assert_eq!(s, 413, "{body}");
    assert_eq!(rest_error(&body).0, "body_too_large");
    let g = gql_upload(&app, &admin, Some((&big, "big.png", "image/png")), None).await;
    assert_eq!((g.status, g.code()), (413, "PAYLOAD_TOO_LARGE"));
    // Just under the limit is fine; the JSON limit does not apply to uploads.
    let c = app.app.config.server.max_body_size;
    assert!(c > 0);
    let mut ok = PNG.to_vec();
    ok.resize(60 * 1024, 0);
    let (s, body) = rest_upload(&app, &admin, Some((&ok, "ok.png", "image/png")), None).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["data"]["size"], 60 * 1024);

    // A chunked body (no Content-Length) is cut off at the limit too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(big.clone())];
    let part = Part::stream(reqwest::Body::wrap_stream(futures_util::stream::iter(
        chunks,
    )))
    .file_name("big.png")
    .mime_str("image/png")
    .expect("mime");
    let resp = app
        .http()
        .post(app.url("/api/v1/admin/media"))
        .header("authorization", auth_header(&admin).expect("auth"))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 413);

    // No file.
    let (s, body) = rest_upload(&app, &admin, None, Some("alt only")).await;
    assert_eq!(s, 400, "{body}");
    assert_eq!(
        rest_error(&body),
        ("missing_file", "file field is required")
    );
    let g = gql_upload(&app, &admin, None, None).await;
    assert_eq!(g.code(), "MISSING_FILE");
    // JSON where a form is expected.
    let resp = app
        .http()
        .post(app.url("/api/v1/admin/media"))
        .header("authorization", auth_header(&admin).expect("auth"))
        .json(&json!({"file": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(rest_error(&v).0, "parse_failed");
    // A placeholder without its file is refused, not run.
    let r = app
        .gql(&admin, UPLOAD, json!({"file": "#__graphql_file__:x"}))
        .await;
    assert_eq!((r.status, r.code()), (400, "BAD_REQUEST"));
}

#[tokio::test(flavor = "multi_thread")]
async fn media_permissions_are_enforced() {
    let dir = tempfile::tempdir().expect("dir");
    let app = local_app(dir.path()).await;
    let admin = app.staff("admin").await;
    let (customer, _) = app.customer().await;
    let manager = app.staff("manager").await;
    let products_only = create_key(&app, &admin, &["products.read"]).await;

    // Anonymous and customers.
    let (s, _) = rest_upload(&app, &Auth::None, Some((PNG, "a.png", "image/png")), None).await;
    assert_eq!(s, 401);
    let (s, body) = rest_upload(&app, &customer, Some((PNG, "a.png", "image/png")), None).await;
    assert_eq!(s, 403, "{body}");
    let g = gql_upload(&app, &customer, Some((PNG, "a.png", "image/png")), None).await;
    assert_eq!(g.code(), "FORBIDDEN");
    let (s, _) = rest(&app, reqwest::Method::GET, "/api/v1/admin/media", &customer).await;
    assert_eq!(s, 403);
    // A staff key without media permissions.
    let (s, _) = rest(
        &app,
        reqwest::Method::GET,
        "/api/v1/admin/media",
        &products_only,
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = rest_upload(
        &app,
        &products_only,
        Some((PNG, "a.png", "image/png")),
        None,
    )
    .await;
    assert_eq!(s, 403);
    // Managers may upload and read, not delete.
    let (s, body) = rest_upload(&app, &manager, Some((PNG, "m.png", "image/png")), None).await;
    assert_eq!(s, 201, "{body}");
    let id = body["data"]["id"].as_str().expect("id").to_owned();
    let (s, _) = rest(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/admin/media/{id}"),
        &manager,
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = rest(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/media/{id}"),
        &manager,
    )
    .await;
    assert_eq!(s, 403);
    let g = app
        .gql(
            &manager,
            "mutation($id: UUID!) { deleteMedia(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(g.code(), "FORBIDDEN");
    let (s, _) = rest(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!(s, 204);
}

/// A raw HTTP/1.1 GET, so that `..` reaches the server unnormalised.
async fn raw_get(app: &TestApp, target: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    s.write_all(
        format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).await.expect("read");
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_never_list_directories_or_leave_the_root() {
    let outer = tempfile::tempdir().expect("dir");
    let root = outer.path().join("uploads");
    std::fs::create_dir_all(root.join("2026/11")).expect("mkdir");
    std::fs::write(root.join("2026/11/abcd1234-a.png"), PNG).expect("write");
    std::fs::write(outer.path().join("secret.txt"), b"top secret").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outer.path().join("secret.txt"),
        root.join("2026/11/link.png"),
    )
    .expect("symlink");
    let app = local_app(&root).await;

    let ok = app
        .http()
        .get(app.url("/uploads/2026/11/abcd1234-a.png"))
        .send()
        .await
        .expect("get");
    assert_eq!(ok.status(), 200);
    for path in [
        "/uploads",
        "/uploads/",
        "/uploads/2026",
        "/uploads/2026/",
        "/uploads/2026/11",
        "/uploads/2026/11/",
        "/uploads/%2e%2e/secret.txt",
        "/uploads/2026/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/uploads/..%2fsecret.txt",
        "/uploads/2026/11/link.png",
        "/uploads/2026/11/missing.png",
    ] {
        let r = app.http().get(app.url(path)).send().await.expect("get");
        let status = r.status();
        let body = r.text().await.expect("text");
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            !body.contains("secret") && !body.contains("abcd1234"),
            "{path}: {body}"
        );
    }
    for target in ["/uploads/../secret.txt", "/uploads/2026/../../secret.txt"] {
        let resp = raw_get(&app, target).await;
        assert!(resp.starts_with("HTTP/1.1 404"), "{target}: {resp}");
        assert!(!resp.contains("top secret"), "{target}");
    }
}

/// A moto S3 server on a free port, stopped on drop.
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts moto from `STOA_PYTHON`; `None` (test skipped) without it, unless
/// `STOA_REQUIRE_PY=1`.
async fn moto() -> Option<Moto> {
    let required = std::env::var("STOA_REQUIRE_PY").is_ok_and(|v| v == "1");
    let Ok(python) = std::env::var("STOA_PYTHON") else {
        assert!(!required, "STOA_PYTHON is required");
        eprintln!("skipped: STOA_PYTHON is not set (moto S3 server)");
        return None;
    };
    let has_moto = std::process::Command::new(&python)
        .args(["-c", "import moto.server, flask"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_moto {
        assert!(!required, "moto[server] is missing from {python}");
        eprintln!("skipped: moto[server] is not installed in {python}");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let child = std::process::Command::new(&python)
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start moto");
    let m = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    for _ in 0..150 {
        if client.get(&m.endpoint).send().await.is_ok() {
            return Some(m);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("moto did not start on {}", m.endpoint);
}

#[tokio::test(flavor = "multi_thread")]
async fn s3_storage_puts_serves_and_deletes_objects() {
    let Some(moto) = moto().await else { return };
    let http = reqwest::Client::new();
    let made = http
        .put(format!("{}/shop-media", moto.endpoint))
        .send()
        .await
        .expect("create bucket");
    assert!(made.status().is_success(), "{}", made.status());
    // Public reads, as a bucket serving media URLs is set up (moto evaluates the policy).
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shop-media/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::shop-media"}
    ]});
    let set = http
        .put(format!("{}/shop-media?policy", moto.endpoint))
        .body(policy.to_string())
        .send()
        .await
        .expect("bucket policy");
    assert!(set.status().is_success(), "{}", set.status());
    let endpoint = moto.endpoint.clone();
    let app = TestApp::with_config(move |c| {
        c.media.storage = "s3".into();
        c.media.s3.bucket = "shop-media".into();
        c.media.s3.region = "eu-central-1".into();
        c.media.s3.endpoint = format!("{endpoint}/");
        c.media.s3.access_key_id = "testing".into();
        c.media.s3.secret_access_key = "testing".into();
    })
    .await;
    let admin = app.staff("admin").await;

    let (s, body) = rest_upload(&app, &admin, Some((PNG, "s3 shot.png", "image/png")), None).await;
    assert_eq!(s, 201, "{body}");
    let path = body["data"]["storage_path"]
        .as_str()
        .expect("path")
        .to_owned();
    let url = body["data"]["url"].as_str().expect("url").to_owned();
    assert_eq!(url, format!("{}/shop-media/{path}", moto.endpoint));
    assert!(url.ends_with("-s3-shot.png"), "{url}");
    let obj = http.get(&url).send().await.expect("get object");
    assert_eq!(obj.status(), 200);
    assert_eq!(obj.headers()["content-type"], "image/png");
    assert_eq!(obj.bytes().await.expect("bytes").as_ref(), PNG);
    // No local serving with S3.
    let local = app
        .http()
        .get(app.url(&format!("/uploads/{path}")))
        .send()
        .await
        .expect("get");
    assert_eq!(local.status(), 404);

    let g = gql_upload(&app, &admin, Some((SVG, "logo.svg", "image/svg+xml")), None)
        .await
        .ok();
    assert!(
        g.data("uploadMedia.url")
            .as_str()
            .expect("url")
            .starts_with(&format!("{}/shop-media/", moto.endpoint))
    );

    let id = body["data"]["id"].as_str().expect("id");
    let (s, _) = rest(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/admin/media/{id}"),
        &admin,
    )
    .await;
    assert_eq!(s, 204);
    let gone = http.get(&url).send().await.expect("get object");
    assert_eq!(gone.status(), 404);
}

//! Media storage backends (`media.storage`): files under `media.local_path` served at
//! `/uploads/*`, or an S3-compatible bucket through `object_store`. Both refuse paths that
//! are not plain relative paths ([`safe_path`]), so neither a stored row nor a request can
//! reach outside the storage root.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use stoa_resolvers::domain::media::{MediaStorage, StorageError, safe_path, sniff};
use tokio::io::AsyncReadExt;

use crate::app::App;
use crate::config::{ConfigError, MediaConfig};

/// Files under a local directory, public at `/uploads/<path>`.
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    /// A storage rooted at `root` (created on the first upload).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The file of a safe relative path.
    fn file(&self, path: &str) -> Result<PathBuf, StorageError> {
        if safe_path(path) {
            Ok(self.root.join(path))
        } else {
            Err(StorageError::UnsafePath)
        }
    }
}

fn backend(e: impl std::fmt::Display) -> StorageError {
    StorageError::Backend(e.to_string())
}

#[async_trait::async_trait]
impl MediaStorage for LocalStorage {
    async fn put(&self, path: &str, bytes: Vec<u8>, _: &str) -> Result<(), StorageError> {
        let file = self.file(path)?;
        if let Some(dir) = file.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(backend)?;
        }
        // Written under a temporary name, then renamed: a reader never sees half a file.
        let tmp = file.with_extension(format!("{}.part", uuid::Uuid::now_v7().simple()));
        tokio::fs::write(&tmp, &bytes).await.map_err(backend)?;
        if let Err(e) = tokio::fs::rename(&tmp, &file).await {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(backend(e));
        }
        Ok(())
    }

    async fn delete(&self, path: &str) -> Result<(), StorageError> {
        let file = self.file(path)?;
        match tokio::fs::remove_file(&file).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("/uploads/{path}")
    }
}

/// An S3 (or S3-compatible) bucket.
#[derive(Debug)]
pub struct S3Storage {
    store: AmazonS3,
    /// `<endpoint>/<bucket>` or `https://<bucket>.s3.<region>.amazonaws.com`.
    base_url: String,
}

impl S3Storage {
    /// A storage for `media.s3.*`. With an endpoint (MinIO, moto, …) requests and URLs are
    /// path-style; without one they go to AWS.
    pub fn new(cfg: &MediaConfig) -> Result<Self, ConfigError> {
        let s3 = &cfg.s3;
        let endpoint = s3.endpoint.trim().trim_end_matches('/');
        let region = if s3.region.trim().is_empty() {
            "us-east-1"
        } else {
            s3.region.trim()
        };
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(s3.bucket.trim())
            .with_region(region);
        if !s3.access_key_id.is_empty() {
            b = b
                .with_access_key_id(&s3.access_key_id)
                .with_secret_access_key(&s3.secret_access_key);
        }
        let base_url = if endpoint.is_empty() {
            format!("https://{}.s3.{region}.amazonaws.com", s3.bucket.trim())
        } else {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
            format!("{endpoint}/{}", s3.bucket.trim())
        };
        let store = b.build().map_err(|e| ConfigError::Invalid {
            key: "media.s3",
            reason: e.to_string(),
        })?;
        Ok(Self { store, base_url })
    }

    fn key(path: &str) -> Result<ObjectPath, StorageError> {
        if !safe_path(path) {
            return Err(StorageError::UnsafePath);
        }
        ObjectPath::parse(path).map_err(|_| StorageError::UnsafePath)
    }
}

#[async_trait::async_trait]
impl MediaStorage for S3Storage {
    async fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let key = Self::key(path)?;
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.to_owned().into());
        let opts = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&key, PutPayload::from(bytes), opts)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete(&self, path: &str) -> Result<(), StorageError> {
        let key = Self::key(path)?;
        match self.store.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }
}

/// The storage `media.storage` selects.
pub fn storage(cfg: &MediaConfig) -> Result<Arc<dyn MediaStorage>, ConfigError> {
    match cfg.storage.as_str() {
        "s3" => Ok(Arc::new(S3Storage::new(cfg)?)),
        _ => Ok(Arc::new(LocalStorage::new(cfg.local_path.clone()))),
    }
}

fn not_found() -> Response {
    crate::http::middleware::stoa_error(StatusCode::NOT_FOUND, "not_found", "resource not found")
}

/// `GET /uploads/{*path}` (local storage only): a stored file, never a directory listing.
/// The type is sniffed from the content as on upload (SVG when the name ends in `.svg`);
/// SVG is served under a sandboxing CSP so that scripts in it cannot run.
pub async fn serve(State(app): State<App>, Path(path): Path<String>) -> Response {
    if !safe_path(&path) {
        return not_found();
    }
    let file = app.config.media.local_path.join(&path);
    // `symlink_metadata`: links are not followed out of the directory.
    let meta = match tokio::fs::symlink_metadata(&file).await {
        Ok(m) if m.is_file() => m,
        _ => return not_found(),
    };
    let Ok(mut f) = tokio::fs::File::open(&file).await else {
        return not_found();
    };
    let mut head = vec![0u8; 512];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]).await {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return not_found(),
        }
    }
    head.truncate(n);
    let svg = path.to_ascii_lowercase().ends_with(".svg");
    let mime = sniff(&head, svg.then_some("image/svg+xml")).unwrap_or("application/octet-stream");
    let rest = tokio_util::io::ReaderStream::new(f);
    let body = Body::from_stream(
        futures_util::stream::once(async move {
            Ok::<_, std::io::Error>(axum::body::Bytes::from(head))
        })
        .chain(rest),
    );
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&meta.len().to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if mime == "image/svg+xml" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(endpoint: &str, region: &str) -> S3Storage {
        let mut cfg = MediaConfig {
            storage: "s3".into(),
            ..MediaConfig::default()
        };
        cfg.s3.bucket = "shop".into();
        cfg.s3.region = region.into();
        cfg.s3.endpoint = endpoint.into();
        S3Storage::new(&cfg).expect("s3")
    }

    #[test]
    fn s3_urls_follow_the_reference() {
        assert_eq!(
            s3("http://127.0.0.1:9000/", "").url("2026/11/ab-x.png"),
            "http://127.0.0.1:9000/shop/2026/11/ab-x.png"
        );
        assert_eq!(
            s3("", "eu-central-1").url("2026/11/ab-x.png"),
            "https://shop.s3.eu-central-1.amazonaws.com/2026/11/ab-x.png"
        );
    }

    #[tokio::test]
    async fn local_storage_refuses_unsafe_paths() {
        let dir = tempfile::tempdir().expect("dir");
        let s = LocalStorage::new(dir.path());
        for p in ["../x", "/etc/passwd", "a/../../b"] {
            assert!(matches!(
                s.put(p, vec![1], "image/png").await,
                Err(StorageError::UnsafePath)
            ));
            assert!(matches!(s.delete(p).await, Err(StorageError::UnsafePath)));
        }
        s.put("2026/11/ab-x.png", vec![1, 2], "image/png")
            .await
            .expect("put");
        assert_eq!(
            std::fs::read(dir.path().join("2026/11/ab-x.png")).expect("read"),
            vec![1, 2]
        );
        s.delete("2026/11/ab-x.png").await.expect("delete");
        s.delete("2026/11/ab-x.png").await.expect("delete twice");
        assert!(!dir.path().join("2026/11/ab-x.png").exists());
    }
}

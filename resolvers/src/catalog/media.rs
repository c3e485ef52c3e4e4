//! Media: upload (GraphQL multipart request spec), list, get, delete. The bytes go to the
//! configured storage ([`crate::domain::media::MediaStorage`]); the type is sniffed from the
//! content. Guarded by `media.create`, `media.read` and `media.delete`.

use async_graphql::{Context, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use stoa_db::models::media::{Media, NewMedia};
use stoa_db::pool;
use uuid::Uuid;

use crate::audit;
use crate::domain::auth::Permission;
use crate::domain::media::{self as rules, MediaStorage, StorageError};
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::hooks;
use crate::state::AppState;
use stoa_plugin_sdk::hooks as hk;

/// An uploaded file.
#[derive(SimpleObject, serde::Serialize)]
#[graphql(name = "Media")]
#[serde(rename_all = "camelCase")]
pub struct MediaNode {
    /// The media id.
    pub id: Uuid,
    /// The file name the client sent.
    pub filename: String,
    /// Sniffed from the content: image/jpeg, image/png, image/gif, image/webp, image/svg+xml
    /// or application/pdf.
    pub mime_type: String,
    /// Bytes.
    pub size: i64,
    /// Where the object lives in the storage (`YYYY/MM/<8 hex>-<file name>`).
    pub storage_path: String,
    /// Public URL (`/uploads/<path>` for local storage, the bucket's URL for S3).
    pub url: String,
    /// Alternative text for images (may be empty).
    pub alt_text: String,
    /// Upload time.
    pub created_at: DateTime<Utc>,
}

impl MediaNode {
    fn new(m: Media, storage: &dyn MediaStorage) -> Self {
        Self {
            url: storage.url(&m.storage_path),
            id: m.id,
            filename: m.filename,
            mime_type: m.mime_type,
            size: m.size,
            storage_path: m.storage_path,
            alt_text: m.alt_text,
            created_at: m.created_at,
        }
    }
}

/// A page of media, newest first.
#[derive(SimpleObject)]
pub struct MediaPage {
    pub items: Vec<MediaNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

fn state<'a>(ctx: &'a Context<'_>) -> Result<&'a AppState, ApiError> {
    ctx.data::<AppState>()
        .map_err(|_| ApiError::internal("application state missing"))
}

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    pool::conn(&state(ctx)?.pool).await.map_err(ApiError::from)
}

fn not_found() -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, "media not found")
}

/// Media queries.
#[derive(Default)]
pub struct MediaQuery;

#[Object]
impl MediaQuery {
    /// Uploaded media, newest first (`media.read`). `limit` is 1 to 200 (default 20);
    /// `mimeType` keeps one type.
    #[graphql(guard = "StaffGuard(Permission::MediaRead)")]
    async fn media(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        mime_type: Option<String>,
    ) -> Result<MediaPage> {
        let page = page.unwrap_or(1).max(1);
        let limit = limit.filter(|l| (1..=200).contains(l)).unwrap_or(20);
        let mime = mime_type.filter(|m| !m.trim().is_empty());
        let mut c = conn(ctx).await?;
        let (rows, total) = Media::page(&mut c, mime.as_deref(), (page - 1) * limit, limit)
            .await
            .map_err(ApiError::from)?;
        let storage = state(ctx)?.media.as_ref();
        Ok(MediaPage {
            items: rows
                .into_iter()
                .map(|m| MediaNode::new(m, storage))
                .collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One media file (`media.read`).
    #[graphql(guard = "StaffGuard(Permission::MediaRead)")]
    async fn media_item(&self, ctx: &Context<'_>, id: Uuid) -> Result<MediaNode> {
        let mut c = conn(ctx).await?;
        let m = Media::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(not_found)?;
        Ok(MediaNode::new(m, state(ctx)?.media.as_ref()))
    }
}

/// Media mutations.
#[derive(Default)]
pub struct MediaMutation;

#[Object]
impl MediaMutation {
    /// Uploads a file (`media.create`), sent as a `multipart/form-data` request (GraphQL
    /// multipart request spec) of at most `server.max_upload_size` bytes. The type is
    /// sniffed from the content: JPEG, PNG, GIF, WebP and PDF by their signatures; SVG only
    /// when the part's Content-Type is `image/svg+xml` and the content is text with an
    /// `<svg` element. Anything else is `UNSUPPORTED_MEDIA_TYPE`; no file is `MISSING_FILE`.
    #[graphql(guard = "StaffGuard(Permission::MediaCreate)")]
    async fn upload_media(
        &self,
        ctx: &Context<'_>,
        file: Option<Upload>,
        alt_text: Option<String>,
    ) -> Result<MediaNode> {
        let missing = || ApiError {
            field: Some("file".into()),
            ..ApiError::new(ErrorCode::MissingFile)
        };
        let file = file.ok_or_else(missing)?;
        if file.0 >= ctx.query_env.uploads.len() {
            return Err(missing().into());
        }
        let upload = file.value(ctx).map_err(ApiError::internal)?;
        let alt_text = alt_text.unwrap_or_default();
        if alt_text.chars().count() > 255 {
            return Err(ApiError::invalid("altText", "at most 255 characters").into());
        }
        let bytes = upload.content.to_vec();
        let Some(mime) = rules::sniff(&bytes, upload.content_type.as_deref()) else {
            return Err(ApiError {
                field: Some("file".into()),
                ..ApiError::new(ErrorCode::UnsupportedMediaType)
            }
            .into());
        };
        let filename: String = upload
            .filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .take(255)
            .collect();
        let path = rules::storage_path(&filename);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let hook = hooks::guard(
            ctx,
            (hk::MEDIA_BEFORE_UPLOAD, hk::MEDIA_AFTER_UPLOAD),
            || {
                serde_json::json!({
                    "filename": filename, "mimeType": mime, "size": size, "altText": alt_text,
                })
            },
        )
        .await?;
        let s = state(ctx)?;
        s.media
            .put(&path, bytes, mime)
            .await
            .map_err(ApiError::internal)?;
        let mut c = conn(ctx).await?;
        let created = Media::create(
            &mut c,
            NewMedia {
                id: Uuid::now_v7(),
                filename,
                mime_type: mime.to_owned(),
                size,
                storage_path: path.clone(),
                alt_text,
            },
        )
        .await;
        let m = match created {
            Ok(m) => m,
            Err(e) => {
                if let Err(cleanup) = s.media.delete(&path).await {
                    tracing::warn!(media.path = %path, error = %cleanup, "could not remove an orphaned upload");
                }
                return Err(ApiError::from(e).into());
            }
        };
        audit::record(
            ctx,
            &mut c,
            "create",
            "media",
            Some(m.id),
            serde_json::json!({ "filename": m.filename, "mime_type": m.mime_type, "size": m.size }),
        )
        .await?;
        let node = MediaNode::new(m, s.media.as_ref());
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Deletes a media file and its stored object; products lose it (`media.delete`).
    #[graphql(guard = "StaffGuard(Permission::MediaDelete)")]
    async fn delete_media(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let s = state(ctx)?;
        let mut c = conn(ctx).await?;
        let m = Media::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(not_found)?;
        let node = MediaNode::new(m, s.media.as_ref());
        let hook = hooks::guard(
            ctx,
            (hk::MEDIA_BEFORE_DELETE, hk::MEDIA_AFTER_DELETE),
            || hooks::snapshot(&node),
        )
        .await?;
        // The object first: when that fails the row stays and the delete can be retried.
        // A row whose path is unsafe never reaches the storage; only the row goes.
        match s.media.delete(&node.storage_path).await {
            Ok(()) => {}
            Err(StorageError::UnsafePath) => {
                tracing::warn!(media.id = %id, "media row with an unsafe storage path; only the row is deleted");
            }
            Err(e) => return Err(ApiError::internal(e).into()),
        }
        if !Media::delete(&mut c, id).await.map_err(ApiError::from)? {
            return Err(not_found().into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "media",
            Some(id),
            serde_json::json!({ "filename": node.filename }),
        )
        .await?;
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(true)
    }
}

//! Media rules, free of GraphQL: where uploaded bytes go ([`MediaStorage`], implemented by the
//! server for the local disk and S3), which types are accepted (sniffed from the content, not
//! trusted from the client), and how stored paths are named and checked.

use chrono::{Datelike, Utc};

/// The MIME types an upload may have.
pub const ALLOWED_TYPES: [&str; 6] = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/svg+xml",
    "application/pdf",
];

/// A storage failure (the cause is logged, never sent).
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The path is not a safe relative path (absolute, `..`, empty segments, odd characters).
    #[error("unsafe storage path")]
    UnsafePath,
    /// The backend failed.
    #[error("storage failed: {0}")]
    Backend(String),
}

/// Where media bytes live. Paths are relative (`2026/11/1a2b3c4d-shirt.jpg`) and checked
/// with [`safe_path`] by every implementation before use.
#[async_trait::async_trait]
pub trait MediaStorage: Send + Sync + 'static {
    /// Stores `bytes` at `path` (creating what is needed).
    async fn put(&self, path: &str, bytes: Vec<u8>, content_type: &str)
    -> Result<(), StorageError>;
    /// Deletes the object at `path`; an object that is already gone is not an error.
    async fn delete(&self, path: &str) -> Result<(), StorageError>;
    /// The public URL of the object at `path`.
    fn url(&self, path: &str) -> String;
}

/// True when `path` is a relative path of plain segments: no leading `/`, no `.` or `..`,
/// no empty segments, no backslashes or control characters. Every storage refuses other
/// paths, so a row cannot make a delete reach outside the storage root.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 1024
        && path.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        })
}

/// A client file name reduced to a safe last segment: the base name, with anything but ASCII
/// letters, digits, `.`, `-` and `_` replaced by `-`, no leading dots, at most 100 characters;
/// `file` when nothing is left.
pub fn sanitize_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(base.len());
    for c in base.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let trimmed = out.trim_start_matches(['.', '-']);
    let mut s: String = trimmed.chars().take(100).collect();
    while s.ends_with('.') {
        s.pop();
    }
    if s.is_empty() { "file".to_owned() } else { s }
}

/// The storage path of a new upload: `YYYY/MM/<8 hex>-<sanitized file name>`.
pub fn storage_path(filename: &str) -> String {
    let now = Utc::now();
    let mut rnd = [0u8; 4];
    if getrandom::fill(&mut rnd).is_err() {
        rnd = uuid::Uuid::now_v7().as_bytes()[12..16]
            .try_into()
            .unwrap_or_default();
    }
    format!(
        "{:04}/{:02}/{}-{}",
        now.year(),
        now.month(),
        hex::encode(rnd),
        sanitize_filename(filename)
    )
}

/// True when the bytes look like text (UTF-8 without control characters other than
/// whitespace; a multi-byte character cut at the end is allowed).
fn looks_like_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{feff}'))
}

/// The MIME type of an upload, sniffed from its first bytes; `None` when it is not allowed.
///
/// JPEG, PNG, GIF, WebP and PDF are recognised by their signatures, whatever the client
/// says. SVG has no signature: it is accepted only when the client declares
/// `image/svg+xml` and the content is text that contains an `<svg` element.
pub fn sniff(bytes: &[u8], declared: Option<&str>) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(512)];
    if let Some(kind) = infer::get(head)
        && kind.matcher_type() != infer::MatcherType::Text
    {
        return ALLOWED_TYPES
            .iter()
            .copied()
            .find(|t| *t == kind.mime_type() && *t != "image/svg+xml");
    }
    let declared_svg = declared
        .and_then(|d| d.split(';').next())
        .is_some_and(|d| d.trim().eq_ignore_ascii_case("image/svg+xml"));
    if declared_svg && !bytes.is_empty() && looks_like_text(head) {
        let lower = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        if lower.contains("<svg") {
            return Some("image/svg+xml");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    #[test]
    fn types_are_sniffed_not_trusted() {
        assert_eq!(sniff(PNG, Some("image/gif")), Some("image/png"));
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0", None),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0", None), Some("image/gif"));
        assert_eq!(sniff(b"%PDF-1.7\n", None), Some("application/pdf"));
        // A Windows executable named .png.
        assert_eq!(
            sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", Some("image/png")),
            None
        );
        assert_eq!(sniff(b"hello", Some("text/plain")), None);
        assert_eq!(sniff(b"", Some("image/png")), None);
    }

    #[test]
    fn svg_needs_the_client_to_say_so_and_text_content() {
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(sniff(svg, Some("image/svg+xml")), Some("image/svg+xml"));
        assert_eq!(sniff(svg, Some("image/png")), None);
        assert_eq!(sniff(svg, None), None);
        assert_eq!(sniff(b"\0\x01\x02<svg>", Some("image/svg+xml")), None);
        assert_eq!(sniff(b"just text", Some("image/svg+xml")), None);
        // Signature formats never become SVG.
        assert_eq!(sniff(PNG, Some("image/svg+xml")), Some("image/png"));
    }

    #[test]
    fn file_names_are_sanitized() {
        assert_eq!(sanitize_filename("shirt.jpg"), "shirt.jpg");
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            sanitize_filename("C:\\x\\My Photo (1).PNG"),
            "My-Photo-1-.PNG"
        );
        assert_eq!(sanitize_filename(".."), "file");
        assert_eq!(sanitize_filename(".htaccess"), "htaccess");
        assert_eq!(sanitize_filename("Grüße.png"), "Gr-e.png");
        assert_eq!(sanitize_filename(""), "file");
        assert!(sanitize_filename(&"a".repeat(300)).len() <= 100);
    }

    #[test]
    fn storage_paths_are_dated_and_safe() {
        let p = storage_path("../x y.png");
        let parts: Vec<&str> = p.split('/').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].len(), 4);
        assert_eq!(parts[1].len(), 2);
        assert_eq!(&parts[2][8..], "-x-y.png");
        assert!(safe_path(&p));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        for p in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../b",
            "a//b",
            "a/./b",
            "a\\b",
            "a/b\0",
            "2026/11/..",
        ] {
            assert!(!safe_path(p), "{p:?}");
        }
        assert!(safe_path("2026/11/1a2b3c4d-shirt.jpg"));
    }
}

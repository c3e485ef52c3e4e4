//! Contracts kept as files: the SDL (`schema/schema.graphql`) and the error-code list
//! (`docs/errors.md`). The SDL test rewrites the file, then fails when it had been stale, so a
//! clean checkout in CI fails on a forgotten update.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn schema_sdl_is_up_to_date() {
    let path = root().join("schema/schema.graphql");
    let sdl = stoa_resolvers::sdl();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != sdl {
        std::fs::write(&path, &sdl).expect("write schema.graphql");
        panic!("schema/schema.graphql was stale and has been rewritten; review and commit it");
    }
}

#[test]
fn every_error_code_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/errors.md")).expect("docs/errors.md");
    for code in stoa_resolvers::ErrorCode::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.http_status());
        assert!(doc.contains(&row), "docs/errors.md lacks the row starting {row}");
    }
}

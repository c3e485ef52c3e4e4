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
    let sdl = stoa_server::schema::sdl();
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
        assert!(
            doc.contains(&row),
            "docs/errors.md lacks the row starting {row}"
        );
    }
}

/// `db/src/schema.rs` must be exactly what `diesel print-schema` makes of the migrations.
/// Needs the diesel CLI (`DIESEL_BIN`, or `diesel` on PATH); `scripts/test` installs it and
/// sets `STOA_REQUIRE_DIESEL=1` so that CI cannot skip this check.
#[tokio::test(flavor = "multi_thread")]
async fn schema_rs_matches_the_migrations() {
    let diesel = std::env::var("DIESEL_BIN").unwrap_or_else(|_| "diesel".into());
    let required = std::env::var("STOA_REQUIRE_DIESEL").is_ok_and(|v| v == "1");
    if std::process::Command::new(&diesel)
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            !required,
            "the diesel CLI ({diesel}) is required for the schema.rs drift check"
        );
        eprintln!("skipping: no diesel CLI (set DIESEL_BIN)");
        return;
    }
    let db = stoa_tests::TestDb::new().await;
    let out = std::process::Command::new(&diesel)
        .args(["print-schema", "--database-url", &db.libpq_url()])
        .current_dir(root())
        .output()
        .expect("diesel print-schema");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(root().join("db/src/schema.rs")).expect("schema.rs");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        committed,
        "db/src/schema.rs drifted from the migrations; run `diesel print-schema > db/src/schema.rs`"
    );
}

/// Every migration's `down.sql` works (the core's and the built-in plugins'): revert
/// everything, newest first, then apply again.
#[tokio::test(flavor = "multi_thread")]
async fn migrations_revert_and_reapply() {
    use stoa_server::database::{migrate_down, migrate_up, migration_status};
    let db = stoa_tests::TestDb::new().await;
    let applied = migration_status(db.url()).await.expect("status");
    assert!(applied.iter().all(|m| m.applied));
    assert!(applied.iter().any(|m| m.owner == "order_guard"));
    while migrate_down(db.url()).await.expect("revert").is_some() {}
    assert!(
        migration_status(db.url())
            .await
            .expect("status")
            .iter()
            .all(|m| !m.applied)
    );
    let again = migrate_up(db.url()).await.expect("reapply");
    assert_eq!(again.len(), applied.len());
}

//! Two instances on one database share lockout and token revocation.

use serde_json::json;
use stoa_tests::{Auth, TestApp};

#[tokio::test(flavor = "multi_thread")]
async fn lockout_is_shared_between_instances() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.register("shared@example.com", "shared-password").await;
    for app in [&a, &b, &a, &b] {
        assert_eq!(
            app.try_login("shared@example.com", "wrong-password")
                .await
                .code(),
            "INVALID_CREDENTIALS"
        );
    }
    assert_eq!(
        a.try_login("shared@example.com", "wrong-password")
            .await
            .code(),
        "ACCOUNT_LOCKED"
    );
    assert_eq!(
        b.try_login("shared@example.com", "shared-password")
            .await
            .code(),
        "ACCOUNT_LOCKED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_on_one_instance_revokes_on_the_other() {
    let a = TestApp::new().await;
    let b = TestApp::sharing(&a).await;
    a.register("rev@example.com", "rev-password").await;
    let t = a.login("rev@example.com", "rev-password").await;
    let auth = Auth::Bearer(t.access);
    b.gql(&auth, "{ me { id } }", json!({})).await.ok();
    a.gql(&auth, "mutation { logout }", json!({})).await.ok();
    let r = b.gql(&auth, "{ me { id } }", json!({})).await;
    assert_eq!((r.status, r.code()), (401, "TOKEN_REVOKED"));
    // Logout without a refresh token revoked every refresh token of the user, on both.
    let refresh = b
        .gql(
            &Auth::None,
            "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }",
            json!({"r": t.refresh}),
        )
        .await;
    assert_eq!(refresh.code(), "TOKEN_REUSED");
}

//! Argon2id password hashing with the reference parameters (m = 64 MiB, t = 4, p = 4).

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::error::{ApiError, ApiResult};

fn hasher() -> ApiResult<Argon2<'static>> {
    let params = Params::new(64 * 1024, 4, 4, Some(32)).map_err(ApiError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password into a PHC string. CPU-heavy: runs on the blocking pool.
pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        let h = hasher()?;
        h.hash_password(password.as_bytes())
            .map(|p| p.to_string())
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

/// Verifies a password against a PHC string in constant time. A malformed hash never matches.
pub async fn verify(password: String, phc: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return Ok(false);
        };
        let h = hasher()?;
        Ok(h.verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(ApiError::internal)?
}

/// A hash of a random password, verified when the email is unknown so that a miss costs the
/// same time as a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=65536,t=4,p=4$c3RvYWR1bW15c2FsdDE2$1m0s6mJf3v7pX1QG9V4yF7m3tq2Zb0cQmXj1w0y3eA8";

/// Checks the reference's password rules (8..=128 characters).
pub fn validate_new(password: &str, field: &str) -> ApiResult<()> {
    let n = password.chars().count();
    if !(8..=128).contains(&n) {
        return Err(ApiError::invalid(
            field,
            "password must be between 8 and 128 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = hash("correct horse".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=65536,t=4,p=4$"));
        assert!(
            verify("correct horse".into(), h.clone())
                .await
                .expect("verify")
        );
        assert!(!verify("wrong horse".into(), h).await.expect("verify"));
    }

    #[tokio::test]
    async fn dummy_hash_parses_and_never_matches() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(
            !verify("anything".into(), DUMMY_HASH.into())
                .await
                .expect("verify")
        );
    }

    #[test]
    fn length_rules() {
        assert!(validate_new("short", "password").is_err());
        assert!(validate_new("long enough", "password").is_ok());
        assert!(validate_new(&"x".repeat(129), "password").is_err());
    }
}

//! API key secrets: generation and hashing. The raw key is shown once; only its SHA-256 is kept.

use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// Staff integration keys start with this prefix.
pub const STAFF_PREFIX: &str = "ck_";
/// Customer keys start with this prefix.
pub const CUSTOMER_PREFIX: &str = "sk_";
/// Most active keys a staff user may own.
pub const STAFF_KEY_LIMIT: i64 = 10;
/// Most active keys a customer may own.
pub const CUSTOMER_KEY_LIMIT: i64 = 5;

/// A new random key: the prefix and 64 hex characters (32 random bytes).
pub fn generate(prefix: &str) -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(format!("{prefix}{}", hex::encode(bytes)))
}

/// The SHA-256 hex digest under which a key is stored.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_prefix_and_length() {
        let k = generate(STAFF_PREFIX).expect("key");
        assert!(k.starts_with("ck_"));
        assert_eq!(k.len(), 3 + 64);
        assert_ne!(k, generate(STAFF_PREFIX).expect("key"));
        assert_eq!(hash(&k).len(), 64);
    }
}

//! Payment method configurations at rest: AES-256-GCM with `payment.encryption_key`, stored
//! as nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes). A configuration never leaves the
//! server: no API returns it, nothing logs it (no type here prints it with `Debug`). The
//! provider plugins read it through [`provider_config`].

use aes_gcm::aead::{Aead, Generate, KeyInit};
use aes_gcm::{Aes256Gcm, Key};
use stoa_db::AsyncPgConnection;
use stoa_db::error::DbResult;
use stoa_db::models::shipping_payment::PaymentMethod;
use uuid::Uuid;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Why a configuration could not be sealed or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The bytes are not sealed with this key (a wrong key, plaintext or corrupt bytes).
    #[error("payment method configuration does not decrypt with payment.encryption_key")]
    Undecryptable,
    /// The decrypted bytes are not a JSON object.
    #[error("payment method configuration is not a JSON object")]
    NotAnObject,
    /// The cipher refused to encrypt (the input is far beyond any configuration's size).
    #[error("payment method configuration could not be encrypted")]
    Encrypt,
}

/// The cipher of payment method configurations.
#[derive(Clone)]
pub struct ConfigCipher {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for ConfigCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfigCipher(**redacted**)")
    }
}

impl ConfigCipher {
    /// A cipher with the 32-byte key.
    pub fn new(key: [u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(key)),
        }
    }

    /// Encrypts a configuration object with a fresh random nonce.
    pub fn seal(
        &self,
        config: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Vec<u8>, SecretError> {
        let plain = serde_json::to_vec(config).map_err(|_| SecretError::Encrypt)?;
        self.seal_bytes(&plain)
    }

    fn seal_bytes(&self, plain: &[u8]) -> Result<Vec<u8>, SecretError> {
        let nonce = aes_gcm::aead::Nonce::<Aes256Gcm>::generate();
        let sealed = self
            .cipher
            .encrypt(&nonce, plain)
            .map_err(|_| SecretError::Encrypt)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open_bytes(&self, sealed: &[u8]) -> Result<Vec<u8>, SecretError> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = aes_gcm::aead::Nonce::<Aes256Gcm>::try_from(nonce)
            .map_err(|_| SecretError::Undecryptable)?;
        self.cipher
            .decrypt(&nonce, body)
            .map_err(|_| SecretError::Undecryptable)
    }

    /// Decrypts a sealed configuration.
    pub fn open(&self, sealed: &[u8]) -> Result<ProviderConfig, SecretError> {
        let plain = self.open_bytes(sealed)?;
        match serde_json::from_slice(&plain) {
            Ok(serde_json::Value::Object(m)) => Ok(ProviderConfig(m)),
            _ => Err(SecretError::NotAnObject),
        }
    }
}

/// A decrypted configuration, for a payment provider (server side only). Its `Debug` does
/// not show the values.
#[derive(Clone, PartialEq)]
pub struct ProviderConfig(serde_json::Map<String, serde_json::Value>);

impl ProviderConfig {
    /// The string value of `key` (e.g. `secret_key`).
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(serde_json::Value::as_str)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.get(key)
    }
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// The decrypted configuration of a payment method: `Ok(None)` when the method does not
/// exist or has none.
pub async fn provider_config(
    conn: &mut AsyncPgConnection,
    cipher: &ConfigCipher,
    method_id: Uuid,
) -> Result<Option<ProviderConfig>, ProviderConfigError> {
    match PaymentMethod::sealed_config(conn, method_id).await? {
        Some(Some(sealed)) => Ok(Some(cipher.open(&sealed)?)),
        _ => Ok(None),
    }
}

/// Why [`provider_config`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderConfigError {
    #[error(transparent)]
    Db(#[from] stoa_db::DbError),
    #[error(transparent)]
    Secret(#[from] SecretError),
}

/// What the start-up pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SealReport {
    /// Plaintext configurations now encrypted.
    pub sealed: usize,
    /// Configurations that are neither sealed with this key nor JSON (left untouched).
    pub unreadable: usize,
}

/// Encrypts in place every configuration that is still plaintext JSON (written by SQL, a
/// seed or an older version). Sealed ones are left alone; bytes that neither decrypt with
/// this key nor parse as JSON are counted and logged by method id, never changed.
pub async fn seal_plaintext_configs(
    conn: &mut AsyncPgConnection,
    cipher: &ConfigCipher,
) -> DbResult<SealReport> {
    let mut report = SealReport::default();
    for (id, bytes) in PaymentMethod::all_configs(conn).await? {
        if cipher.open_bytes(&bytes).is_ok() {
            continue;
        }
        if serde_json::from_slice::<serde_json::Value>(&bytes).is_err() {
            tracing::warn!(payment_method.id = %id, "payment method configuration is neither sealed with payment.encryption_key nor plaintext JSON; left as is");
            report.unreadable += 1;
            continue;
        }
        let Ok(sealed) = cipher.seal_bytes(&bytes) else {
            report.unreadable += 1;
            continue;
        };
        if PaymentMethod::replace_config(conn, id, &bytes, &sealed).await? {
            report.sealed += 1;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object() -> serde_json::Map<String, serde_json::Value> {
        let serde_json::Value::Object(m) =
            serde_json::json!({ "secret_key": "sk_test_123", "capture_on": "confirmed" })
        else {
            unreachable!("a literal object")
        };
        m
    }

    #[test]
    fn seal_and_open_round_trip() {
        let c = ConfigCipher::new([7; 32]);
        let sealed = c.seal(&object()).expect("seal");
        assert!(!sealed.windows(11).any(|w| w == b"sk_test_123"));
        assert_eq!(
            sealed.len(),
            12 + serde_json::to_vec(&object()).expect("json").len() + 16
        );
        let opened = c.open(&sealed).expect("open");
        assert_eq!(opened.str("secret_key"), Some("sk_test_123"));
        assert_eq!(format!("{opened:?}"), r#"{"secret_key", "capture_on"}"#);
        // A fresh nonce each time.
        assert_ne!(sealed, c.seal(&object()).expect("seal"));
    }

    #[test]
    fn a_wrong_key_fails_cleanly() {
        let sealed = ConfigCipher::new([7; 32]).seal(&object()).expect("seal");
        let other = ConfigCipher::new([8; 32]);
        assert_eq!(other.open(&sealed), Err(SecretError::Undecryptable));
        assert_eq!(other.open(b"short"), Err(SecretError::Undecryptable));
        assert_eq!(
            other.open(br#"{"secret_key":"plaintext json"}"#),
            Err(SecretError::Undecryptable)
        );
        assert_eq!(format!("{other:?}"), "ConfigCipher(**redacted**)");
    }

    #[test]
    fn a_sealed_non_object_is_refused() {
        let c = ConfigCipher::new([1; 32]);
        let sealed = c.seal_bytes(b"[1,2]").expect("seal");
        assert_eq!(c.open(&sealed), Err(SecretError::NotAnObject));
    }
}

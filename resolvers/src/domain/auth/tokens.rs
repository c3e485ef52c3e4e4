//! JWT access and refresh tokens (HS256).

use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// Which kind of token a JWT is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

/// Whose token it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserType {
    Admin,
    Customer,
}

impl UserType {
    /// The string stored in `refresh_tokens.user_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Customer => "customer",
        }
    }
}

/// The claims of both token kinds (the reference's names).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub jti: Uuid,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub uid: Uuid,
    pub email: String,
    pub utype: UserType,
    pub role: String,
    #[serde(rename = "type")]
    pub token_type: TokenType,
    /// The refresh family (refresh tokens only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fam: Option<Uuid>,
}

impl Claims {
    /// The expiry as a timestamp.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or_else(Utc::now)
    }
}

/// Signs and checks tokens with the configured secret.
#[derive(Clone)]
pub struct TokenCodec {
    secret: SecretString,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCodec(**redacted**)")
    }
}

impl TokenCodec {
    /// A codec for a secret.
    pub fn new(secret: SecretString) -> Self {
        Self { secret }
    }

    /// Signs claims.
    pub fn sign(&self, claims: &Claims) -> ApiResult<String> {
        encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(self.secret.expose_secret().as_bytes()),
        )
        .map_err(ApiError::internal)
    }

    /// Verifies the signature and time claims and checks the token type.
    pub fn verify(&self, token: &str, expected: TokenType) -> ApiResult<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "jti"]);
        let data = decode::<Claims>(
            token,
            &DecodingKey::from_secret(self.secret.expose_secret().as_bytes()),
            &validation,
        )
        .map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => ApiError::new(ErrorCode::TokenExpired),
            _ => ApiError::new(ErrorCode::InvalidToken),
        })?;
        if data.claims.token_type != expected {
            return Err(ApiError::with_message(
                ErrorCode::InvalidToken,
                "invalid token type",
            ));
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(token_type: TokenType, exp_offset: i64) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            jti: Uuid::now_v7(),
            iat: now,
            nbf: now,
            exp: now + exp_offset,
            uid: Uuid::now_v7(),
            email: "a@b.c".into(),
            utype: UserType::Customer,
            role: "customer".into(),
            token_type,
            fam: None,
        }
    }

    fn codec(s: &str) -> TokenCodec {
        TokenCodec::new(SecretString::from(s.to_owned()))
    }

    #[test]
    fn round_trip_and_type_check() {
        let c = codec("0123456789abcdef0123456789abcdef");
        let t = c.sign(&claims(TokenType::Access, 60)).expect("sign");
        assert!(c.verify(&t, TokenType::Access).is_ok());
        let err = c.verify(&t, TokenType::Refresh).expect_err("wrong type");
        assert_eq!(err.code, ErrorCode::InvalidToken);
    }

    #[test]
    fn forged_and_expired_tokens_are_refused() {
        let c = codec("0123456789abcdef0123456789abcdef");
        let other = codec("ffffffffffffffffffffffffffffffff");
        let forged = other.sign(&claims(TokenType::Access, 60)).expect("sign");
        assert_eq!(
            c.verify(&forged, TokenType::Access)
                .expect_err("forged")
                .code,
            ErrorCode::InvalidToken
        );
        let expired = c.sign(&claims(TokenType::Access, -120)).expect("sign");
        assert_eq!(
            c.verify(&expired, TokenType::Access)
                .expect_err("expired")
                .code,
            ErrorCode::TokenExpired
        );
        assert_eq!(
            c.verify("garbage", TokenType::Access)
                .expect_err("garbage")
                .code,
            ErrorCode::InvalidToken
        );
    }
}

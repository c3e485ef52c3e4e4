//! The closed set of error codes every surface speaks, and the one mapper to GraphQL.
//!
//! Each code has a stable string (`extensions.code`) and the HTTP status the REST layer and
//! the GraphQL endpoint use for it. `docs/errors.md` lists the set; a test keeps it in sync.

use async_graphql::ErrorExtensions;
use stoa_db::DbError;

/// Every error code Stoa returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The HTTP body is not a GraphQL request (malformed JSON, wrong types).
    BadRequest,
    /// The query text does not parse.
    GraphqlParseFailed,
    /// The query does not validate against the schema.
    GraphqlValidationFailed,
    /// The query nests deeper than `graphql.max_depth`.
    QueryTooDeep,
    /// The query costs more than `graphql.max_complexity`.
    QueryTooComplex,
    /// The body is larger than `server.max_body_size`.
    PayloadTooLarge,
    /// The field needs a signed-in principal and there is none.
    Unauthenticated,
    /// The bearer token is malformed, forged or of the wrong type.
    InvalidToken,
    /// The bearer token has expired.
    TokenExpired,
    /// The bearer token was revoked (logout).
    TokenRevoked,
    /// A refresh token was presented twice; its whole family is now revoked.
    TokenReused,
    /// The API key is unknown or revoked.
    InvalidApiKey,
    /// The principal lacks the permission the field needs.
    Forbidden,
    /// Wrong email or password.
    InvalidCredentials,
    /// The account is disabled.
    AccountDisabled,
    /// Too many failed logins; `extensions.retryAfter` says for how many seconds.
    AccountLocked,
    /// An input value is invalid; `extensions.field` names it.
    ValidationError,
    /// An uploaded file is of a type that is not accepted (sniffed from its content).
    UnsupportedMediaType,
    /// An upload was expected and no file was sent.
    MissingFile,
    /// The entity does not exist (or is not the caller's).
    NotFound,
    /// Active warehouses hold less than the requested quantity.
    InsufficientStock,
    /// A plugin's before-hook refused the operation; the message is the plugin's.
    Rejected,
    /// No discount has this code.
    DiscountNotFound,
    /// The discount is switched off.
    DiscountInactive,
    /// The discount's `valid_from` is still ahead.
    DiscountNotStarted,
    /// The discount's `valid_until` has passed.
    DiscountExpired,
    /// The discount has been used `max_uses` times.
    DiscountExhausted,
    /// The order total is below the discount's minimum order value.
    DiscountMinOrderValue,
    /// The write conflicts with existing data (e.g. an email already registered).
    Conflict,
    /// A per-owner limit is reached (e.g. API keys).
    LimitExceeded,
    /// Too many requests; retry later.
    RateLimited,
    /// The database is unreachable; retry later.
    ServiceUnavailable,
    /// An unexpected failure; details are in the server log only.
    InternalError,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: [Self; 33] = [
        Self::BadRequest,
        Self::GraphqlParseFailed,
        Self::GraphqlValidationFailed,
        Self::QueryTooDeep,
        Self::QueryTooComplex,
        Self::PayloadTooLarge,
        Self::Unauthenticated,
        Self::InvalidToken,
        Self::TokenExpired,
        Self::TokenRevoked,
        Self::TokenReused,
        Self::InvalidApiKey,
        Self::Forbidden,
        Self::InvalidCredentials,
        Self::AccountDisabled,
        Self::AccountLocked,
        Self::ValidationError,
        Self::UnsupportedMediaType,
        Self::MissingFile,
        Self::NotFound,
        Self::InsufficientStock,
        Self::Rejected,
        Self::DiscountNotFound,
        Self::DiscountInactive,
        Self::DiscountNotStarted,
        Self::DiscountExpired,
        Self::DiscountExhausted,
        Self::DiscountMinOrderValue,
        Self::Conflict,
        Self::LimitExceeded,
        Self::RateLimited,
        Self::ServiceUnavailable,
        Self::InternalError,
    ];

    /// The stable string in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::QueryTooDeep => "QUERY_TOO_DEEP",
            Self::QueryTooComplex => "QUERY_TOO_COMPLEX",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::TokenRevoked => "TOKEN_REVOKED",
            Self::TokenReused => "TOKEN_REUSED",
            Self::InvalidApiKey => "INVALID_API_KEY",
            Self::Forbidden => "FORBIDDEN",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::AccountDisabled => "ACCOUNT_DISABLED",
            Self::AccountLocked => "ACCOUNT_LOCKED",
            Self::ValidationError => "VALIDATION_ERROR",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::MissingFile => "MISSING_FILE",
            Self::NotFound => "NOT_FOUND",
            Self::InsufficientStock => "INSUFFICIENT_STOCK",
            Self::Rejected => "REJECTED",
            Self::DiscountNotFound => "DISCOUNT_NOT_FOUND",
            Self::DiscountInactive => "DISCOUNT_INACTIVE",
            Self::DiscountNotStarted => "DISCOUNT_NOT_STARTED",
            Self::DiscountExpired => "DISCOUNT_EXPIRED",
            Self::DiscountExhausted => "DISCOUNT_EXHAUSTED",
            Self::DiscountMinOrderValue => "DISCOUNT_MIN_ORDER_VALUE",
            Self::Conflict => "CONFLICT",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::RateLimited => "RATE_LIMITED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::InternalError => "INTERNAL_ERROR",
        }
    }

    /// Parses a code string back.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The HTTP status that goes with the code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest | Self::GraphqlParseFailed | Self::GraphqlValidationFailed => 400,
            Self::MissingFile => 400,
            Self::UnsupportedMediaType => 415,
            Self::QueryTooDeep | Self::QueryTooComplex => 400,
            Self::PayloadTooLarge => 413,
            Self::Unauthenticated
            | Self::InvalidToken
            | Self::TokenExpired
            | Self::TokenRevoked
            | Self::TokenReused
            | Self::InvalidApiKey
            | Self::InvalidCredentials
            | Self::AccountDisabled => 401,
            Self::Forbidden => 403,
            Self::AccountLocked | Self::RateLimited => 429,
            Self::ValidationError | Self::InsufficientStock | Self::Rejected => 422,
            Self::NotFound => 404,
            Self::DiscountNotFound
            | Self::DiscountInactive
            | Self::DiscountNotStarted
            | Self::DiscountExpired
            | Self::DiscountExhausted
            | Self::DiscountMinOrderValue => 422,
            Self::Conflict | Self::LimitExceeded => 409,
            Self::ServiceUnavailable => 503,
            Self::InternalError => 500,
        }
    }

    /// The client-facing message used when no better one is given.
    pub fn default_message(self) -> &'static str {
        match self {
            Self::BadRequest => "request body is not a valid GraphQL request",
            Self::GraphqlParseFailed => "query does not parse",
            Self::GraphqlValidationFailed => "query is not valid for this schema",
            Self::QueryTooDeep => "query is nested too deep",
            Self::QueryTooComplex => "query is too complex",
            Self::PayloadTooLarge => "request body exceeds size limit",
            Self::Unauthenticated => "authentication required",
            Self::InvalidToken => "invalid token",
            Self::TokenExpired => "token has expired",
            Self::TokenRevoked => "token has been revoked",
            Self::TokenReused => "token reuse detected, please login again",
            Self::InvalidApiKey => "invalid API key",
            Self::Forbidden => "insufficient permissions",
            Self::InvalidCredentials => "invalid email or password",
            Self::AccountDisabled => "account is disabled",
            Self::AccountLocked => "too many failed login attempts, please try again later",
            Self::ValidationError => "invalid input",
            Self::UnsupportedMediaType => {
                "unsupported file type; allowed: jpeg, png, gif, webp, svg, pdf"
            }
            Self::MissingFile => "file field is required",
            Self::NotFound => "not found",
            Self::InsufficientStock => "requested quantity exceeds available stock",
            Self::Rejected => "the operation was refused by a plugin",
            Self::DiscountNotFound => "discount code not found",
            Self::DiscountInactive => "discount code is not active",
            Self::DiscountNotStarted => "discount code is not valid yet",
            Self::DiscountExpired => "discount code has expired",
            Self::DiscountExhausted => "discount code has reached its maximum number of uses",
            Self::DiscountMinOrderValue => {
                "order total is below the discount's minimum order value"
            }
            Self::Conflict => "conflict",
            Self::LimitExceeded => "limit exceeded",
            Self::RateLimited => "too many requests",
            Self::ServiceUnavailable => "service temporarily unavailable",
            Self::InternalError => "an unexpected error occurred",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error on its way to a client: a code, a safe message, optionally the input field and a
/// retry hint.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        Self {
            code,
            message: code.default_message().to_owned(),
            field: None,
            retry_after: None,
        }
    }

    /// An error with its own message.
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// A validation error on one input field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::ValidationError,
            message: message.into(),
            field: Some(field.to_owned()),
            retry_after: None,
        }
    }

    /// Sets the retry hint (seconds).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// An internal failure: the cause goes to the log, the client sees the generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::InternalError)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                Self::new(ErrorCode::ServiceUnavailable)
            }
            DbError::NotFound => Self::new(ErrorCode::NotFound),
            DbError::Conflict { constraint } => {
                tracing::info!(db.constraint = %constraint, "write refused by a constraint");
                Self::new(ErrorCode::Conflict)
            }
            DbError::Query(q) => Self::internal(q),
        }
    }
}

impl From<stoa_db::DieselError> for ApiError {
    fn from(e: stoa_db::DieselError) -> Self {
        DbError::from(e).into()
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        async_graphql::Error::new(e.message.clone()).extend_with(|_, ext| {
            ext.set("code", e.code.as_str());
            if let Some(field) = &e.field {
                ext.set("field", field.as_str());
            }
            if let Some(secs) = e.retry_after {
                ext.set("retryAfter", secs);
            }
        })
    }
}

/// Result alias of resolvers and domain services.
pub type ApiResult<T> = Result<T, ApiError>;

/// Picks the code for an error that async-graphql raised itself (parse, validation, limits).
pub fn classify_engine_error(message: &str) -> ErrorCode {
    let m = message.to_ascii_lowercase();
    if m.contains("nested too deep") {
        ErrorCode::QueryTooDeep
    } else if m.contains("too complex") {
        ErrorCode::QueryTooComplex
    } else if m.contains("parse") || m.starts_with(" --> ") || m.contains("expected") {
        ErrorCode::GraphqlParseFailed
    } else if m.contains("failed to parse") || m.contains("invalid value for argument") {
        ErrorCode::ValidationError
    } else {
        ErrorCode::GraphqlValidationFailed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_has_a_status() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
            assert!((400..600).contains(&c.http_status()));
        }
    }

    #[test]
    fn db_errors_map_to_stable_codes() {
        assert_eq!(
            ApiError::from(DbError::Unavailable("x".into())).code,
            ErrorCode::ServiceUnavailable
        );
        assert_eq!(ApiError::from(DbError::NotFound).code, ErrorCode::NotFound);
        assert_eq!(
            ApiError::from(DbError::Conflict {
                constraint: "c".into()
            })
            .code,
            ErrorCode::Conflict
        );
        let internal = ApiError::from(DbError::Query(diesel_err()));
        assert_eq!(internal.code, ErrorCode::InternalError);
        assert_eq!(internal.message, "an unexpected error occurred");
    }

    fn diesel_err() -> stoa_db::DieselError {
        stoa_db::DieselError::RollbackTransaction
    }

    #[test]
    fn graphql_error_carries_code_and_field() {
        let e: async_graphql::Error = ApiError::invalid("email", "bad").into();
        let ext = e.extensions.expect("extensions");
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("VALIDATION_ERROR"))
        );
        assert_eq!(ext.get("field"), Some(&async_graphql::Value::from("email")));
    }

    #[test]
    fn engine_errors_are_classified() {
        assert_eq!(
            classify_engine_error("Query is nested too deep."),
            ErrorCode::QueryTooDeep
        );
        assert_eq!(
            classify_engine_error("Query is too complex."),
            ErrorCode::QueryTooComplex
        );
        assert_eq!(
            classify_engine_error("Unknown field \"x\" on type \"Query\"."),
            ErrorCode::GraphqlValidationFailed
        );
    }
}

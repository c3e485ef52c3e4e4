//! Maps an operation's error code to the reference's status, code and detail, per family,
//! after the row's own overrides.

use axum::http::StatusCode;

use crate::shape::pascal;
use crate::table::{Family, Route};

/// A REST error ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestError {
    pub status: StatusCode,
    pub code: String,
    pub detail: String,
    pub field: Option<String>,
    pub retry_after: Option<u64>,
}

impl RestError {
    pub fn new(status: u16, code: &str, detail: &str) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: code.to_owned(),
            detail: detail.to_owned(),
            field: None,
            retry_after: None,
        }
    }
}

/// The family's answer to a body that is not valid JSON (or of the wrong types).
pub fn bad_json(family: Family) -> RestError {
    match family {
        Family::Auth => RestError::new(400, "invalid_request", "invalid request body"),
        Family::Customer => RestError::new(400, "invalid_body", "request body is not valid JSON"),
        Family::Settings => RestError::new(400, "invalid_json", "request body is not valid JSON"),
        Family::Cart => RestError::new(400, "invalid_request", "request body is not valid JSON"),
    }
}

/// The family's answer to a body that is not a readable `multipart/form-data` form.
pub fn bad_form(family: Family) -> RestError {
    match family {
        Family::Customer => RestError::new(400, "invalid_form", "invalid multipart form"),
        Family::Auth | Family::Settings | Family::Cart => {
            RestError::new(400, "parse_failed", "failed to parse multipart form")
        }
    }
}

/// The family's answer to a malformed UUID path parameter.
pub fn bad_uuid(route: &Route, param: &str) -> RestError {
    if route.path.contains("/api-keys/") {
        return RestError::new(400, "invalid_request", "invalid API key ID");
    }
    let mut e = match route.family {
        Family::Customer => RestError::new(
            400,
            "invalid_param",
            &format!("{param} must be a valid UUID"),
        ),
        Family::Cart => {
            return RestError::new(
                400,
                "invalid_uuid",
                &format!("{param} must be a valid UUID"),
            );
        }
        _ => RestError::new(400, "invalid_id", &format!("{param} must be a valid UUID")),
    };
    e.field = Some(param.to_owned());
    e
}

/// Translates an operation error.
pub fn translate(
    route: &Route,
    code: &str,
    message: &str,
    field: Option<&str>,
    retry_after: Option<u64>,
) -> RestError {
    let over = route
        .errors
        .iter()
        .find(|o| o.code == code && o.on_field.is_none_or(|f| Some(f) == field));
    let mut e = if let Some(o) = over {
        RestError::new(o.status, o.rest_code, o.detail.unwrap_or(message))
    } else {
        default_for(route.family, code, message)
    };
    if code == "VALIDATION_ERROR" {
        e.field = field.map(pascal);
    }
    if let Some(f) = over.and_then(|o| o.field) {
        e.field = Some(f.to_owned());
    }
    e.retry_after = retry_after;
    e
}

fn default_for(family: Family, code: &str, message: &str) -> RestError {
    match code {
        "VALIDATION_ERROR" => match family {
            Family::Auth | Family::Cart => RestError::new(400, "validation_error", message),
            Family::Customer | Family::Settings => RestError::new(422, "validation_error", message),
        },
        "BAD_REQUEST" | "GRAPHQL_VALIDATION_FAILED" | "GRAPHQL_PARSE_FAILED" => bad_json(family),
        "UNAUTHENTICATED" => RestError::new(401, "unauthorized", "authentication required"),
        "INVALID_TOKEN" | "TOKEN_EXPIRED" => RestError::new(401, "unauthorized", "invalid token"),
        "TOKEN_REVOKED" => RestError::new(401, "unauthorized", "token has been revoked"),
        "TOKEN_REUSED" => RestError::new(401, "invalid_token", message),
        "INVALID_API_KEY" => RestError::new(401, "unauthorized", "invalid API key"),
        "FORBIDDEN" => RestError::new(403, "forbidden", message),
        "NOT_FOUND" => RestError::new(404, "not_found", message),
        "INSUFFICIENT_STOCK" => RestError::new(422, "insufficient_stock", message),
        // A plugin's before-hook refused; the checkout row answers `checkout_rejected`.
        "REJECTED" => RestError::new(422, "rejected", message),
        // The discount refusals keep their stable code, lower-cased (the reference's
        // discount routes translate them to its own codes in their rows).
        c if c.starts_with("DISCOUNT_") => RestError::new(422, &c.to_ascii_lowercase(), message),
        "CONFLICT" => RestError::new(409, "conflict", message),
        "LIMIT_EXCEEDED" => RestError::new(409, "limit_exceeded", message),
        "INVALID_CREDENTIALS" => RestError::new(401, "invalid_credentials", message),
        "ACCOUNT_DISABLED" => RestError::new(401, "account_disabled", message),
        "ACCOUNT_LOCKED" => RestError::new(429, "account_locked", message),
        "RATE_LIMITED" => RestError::new(429, "rate_limited", message),
        "UNSUPPORTED_MEDIA_TYPE" => RestError::new(415, "unsupported_media_type", message),
        "MISSING_FILE" => {
            let mut e = RestError::new(400, "missing_file", "file field is required");
            // The product handlers (CSV import) name the field; the media handler does not.
            if family == Family::Customer {
                e.field = Some("file".to_owned());
            }
            e
        }
        "PAYLOAD_TOO_LARGE" => {
            RestError::new(413, "body_too_large", "request body exceeds size limit")
        }
        "SERVICE_UNAVAILABLE" => RestError::new(
            503,
            "service_unavailable",
            "service temporarily unavailable",
        ),
        _ => RestError::new(500, "internal_error", "an unexpected error occurred"),
    }
}

/// The 401/403 of a route that needs credentials the request does not carry (or carries
/// invalid ones), with the reference's details.
pub fn auth_failure(code: &str, message: &str, header_present: bool) -> RestError {
    if !header_present {
        return RestError::new(401, "unauthorized", "missing authorization header");
    }
    match code {
        "SERVICE_UNAVAILABLE" => RestError::new(
            503,
            "service_unavailable",
            "service temporarily unavailable",
        ),
        "INVALID_API_KEY" => RestError::new(401, "unauthorized", "invalid API key"),
        "TOKEN_REVOKED" => RestError::new(401, "unauthorized", "token has been revoked"),
        "TOKEN_EXPIRED" => RestError::new(401, "unauthorized", "invalid token"),
        _ if message == "invalid token type"
            || message == "invalid authorization header format"
            || message == "unsupported authorization scheme" =>
        {
            RestError::new(401, "unauthorized", message)
        }
        _ => RestError::new(401, "unauthorized", "invalid token"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::routes;

    fn route(path: &str, method: &str) -> &'static Route {
        routes()
            .iter()
            .find(|r| r.path == path && r.method.method().as_str() == method)
            .expect("route")
    }

    #[test]
    fn login_errors_read_like_the_reference() {
        let r = route("/api/v1/auth/login", "POST");
        let e = translate(
            r,
            "INVALID_CREDENTIALS",
            "invalid email or password",
            None,
            None,
        );
        assert_eq!(
            (e.status.as_u16(), e.code.as_str(), e.detail.as_str()),
            (401, "invalid_credentials", "invalid email or password")
        );
        let e = translate(r, "VALIDATION_ERROR", "whatever", None, None);
        assert_eq!(
            (e.status.as_u16(), e.detail.as_str()),
            (400, "email and password are required")
        );
        let e = translate(r, "ACCOUNT_LOCKED", "too many", None, Some(60));
        assert_eq!((e.status.as_u16(), e.retry_after), (429, Some(60)));
    }

    #[test]
    fn families_differ_for_bad_json_and_validation() {
        assert_eq!(bad_json(Family::Auth).code, "invalid_request");
        assert_eq!(bad_json(Family::Customer).code, "invalid_body");
        assert_eq!(bad_json(Family::Settings).code, "invalid_json");
        let r = route("/api/v1/store/register", "POST");
        let e = translate(
            r,
            "VALIDATION_ERROR",
            "must be a valid email address",
            Some("email"),
            None,
        );
        assert_eq!(
            (e.status.as_u16(), e.field.as_deref()),
            (422, Some("Email"))
        );
        let e = translate(r, "CONFLICT", "x", None, None);
        assert_eq!((e.status.as_u16(), e.code.as_str()), (409, "email_taken"));
    }

    #[test]
    fn unknown_codes_are_internal_errors_without_details() {
        let r = route("/api/v1/store/config", "GET");
        let e = translate(r, "SOMETHING_NEW", "secret detail", None, None);
        assert_eq!(
            (e.status.as_u16(), e.detail.as_str()),
            (500, "an unexpected error occurred")
        );
    }
}

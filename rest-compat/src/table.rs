//! The shape of a route row. A row says everything the generic executor needs: which
//! operation to run, how the request becomes variables, where the result sits, how it is
//! wrapped, and how errors read in the reference's family.

use axum::http::Method;

/// An HTTP method of a row (a `Copy` stand-in for [`Method`], so rows can live in a static).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            Self::Get => Method::GET,
            Self::Post => Method::POST,
            Self::Put => Method::PUT,
            Self::Patch => Method::PATCH,
            Self::Delete => Method::DELETE,
        }
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRule {
    /// Credentials are ignored (login, refresh, health).
    None,
    /// Parsed when valid, anonymous otherwise (the reference's OptionalAuth; logout too).
    Optional,
    /// A customer principal (JWT or `sk_` key): 401 `unauthorized` without one.
    Customer,
    /// Any authenticated principal; the operation decides (store API-key routes: 403 for staff).
    Authenticated,
    /// A staff principal (JWT or `ck_` key): 401 without credentials, 403 for customers. The
    /// operation's guard checks the permission itself.
    Staff,
}

/// The reference's handler families differ in their error codes for the same situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Auth handlers: bad JSON → 400 `invalid_request` "invalid request body"; validation → 400.
    Auth,
    /// Product/order/customer handlers: bad JSON → 400 `invalid_body`; validation → 422 with
    /// `"<tag> constraint violated on <Field>"`.
    Customer,
    /// Tax/shipping/payment/…/settings handlers: bad JSON → 400 `invalid_json`; validation → 422,
    /// detail = the message, field.
    Settings,
    /// Cart handlers: bad JSON → 400 `invalid_request` "request body is not valid JSON";
    /// validation → 400 `validation_error`; bad UUID → 400 `invalid_uuid`.
    Cart,
}

/// Where one variable comes from.
#[derive(Debug, Clone, Copy)]
pub enum Var {
    /// A top-level body field (snake_case JSON name → variable), with a default when absent.
    BodyField {
        json: &'static str,
        var: &'static str,
        default: Default,
    },
    /// The body object as an input object: the listed snake_case fields, renamed to camelCase;
    /// other fields are ignored as the reference ignores them.
    BodyInput {
        var: &'static str,
        fields: &'static [&'static str],
    },
    /// A UUID path parameter; a malformed one gets the family's `invalid id` error.
    PathUuid {
        param: &'static str,
        var: &'static str,
    },
    /// A string path parameter (slugs).
    PathString {
        param: &'static str,
        var: &'static str,
    },
    /// A query-string parameter; malformed values fall back to the default, as in the reference.
    Query {
        name: &'static str,
        var: &'static str,
        kind: QueryKind,
    },
    /// A file part of a `multipart/form-data` body. A row with a `File` (or `FormField`)
    /// reads its body as multipart instead of JSON, bounded by `server.max_upload_size`
    /// (413 `body_too_large` beyond it; a body that is not multipart is the family's
    /// `bad_form` error). The part named `field` is passed to the operation as the GraphQL
    /// `Upload` variable `var` (declare it `Upload`, nullable) through
    /// `async_graphql::Request::set_upload`; an absent part leaves the variable null and
    /// the operation decides (`MISSING_FILE` → 400 `missing_file`). Used by
    /// `POST /admin/media` (`file`); any upload route (e.g. a CSV import) is the same row.
    File {
        field: &'static str,
        var: &'static str,
    },
    /// A text part of a `multipart/form-data` body (see [`Var::File`]) → the String variable
    /// `var`; absent (or empty) leaves the variable out.
    FormField {
        field: &'static str,
        var: &'static str,
    },
    /// A top-level body field passed through a named conversion (`Value::Null` when the
    /// field is absent), then camelCased into the variable `var`; a `Null` result leaves the
    /// variable out, `None` is the family's bad-body error (a value of the wrong JSON type).
    /// For bodies whose nested objects keep only the reference DTO's fields
    /// (`POST /admin/products/bulk`). The OpenAPI document describes the variable's input
    /// type with every field at every depth.
    BodyWith {
        json: &'static str,
        var: &'static str,
        convert: fn(serde_json::Value) -> Option<serde_json::Value>,
    },
    /// A request cookie (`Cookie: name=value`) → the String variable `var`, when present and
    /// non-empty; it wins over a variable set by an earlier row entry (the guest-order token:
    /// cookie `stoa_guest_token`, else `?guest_token=`).
    Cookie {
        name: &'static str,
        var: &'static str,
    },
    /// A request header (`Idempotency-Key`) → the String variable `var`, when present,
    /// valid text and non-empty.
    Header {
        name: &'static str,
        var: &'static str,
    },
}

impl Var {
    /// True for the variables read from a multipart body.
    pub fn is_multipart(&self) -> bool {
        matches!(self, Self::File { .. } | Self::FormField { .. })
    }
}

/// How a query-string parameter is read.
#[derive(Debug, Clone, Copy)]
pub enum QueryKind {
    /// A positive integer.
    Int,
    /// Any non-empty string.
    Str,
    /// A UUID (ignored when malformed).
    Uuid,
    /// A UUID; a malformed one answers 400 with this error code (`invalid_user_id`).
    UuidOr400(&'static str),
    /// A sort field name (`created_at` → `CREATED_AT`), ignored unless one of the listed.
    Enum(&'static [&'static str]),
    /// `asc` → `ASC`, anything else → `DESC`.
    Order,
    /// `true`/`1` → true, anything else → false (the reference's `filter[active]`).
    Bool,
}

/// A default for an absent body field.
#[derive(Debug, Clone, Copy)]
pub enum Default {
    /// Absent means absent (the variable is omitted).
    None,
    /// An empty string.
    EmptyString,
}

/// How the operation's result becomes the response body.
#[derive(Debug, Clone, Copy)]
pub enum Envelope {
    /// `{"data": <result>}`.
    Data,
    /// `{"data": {"message": …}}` (the result must be `true`).
    Message(&'static str),
    /// `{"data": <named conversion of the result>}`.
    Converted(fn(serde_json::Value) -> serde_json::Value),
    /// `{"data": {"items": result.items}, "meta": {total, page, limit, pages}}`.
    Page,
    /// `{"data": result.items, "meta": {total, page, limit, pages}}` (the reference's lists
    /// other than products: media, …).
    List,
    /// No body (204).
    NoContent,
    /// The result (a string) as the raw body, with this `Content-Type`, as a download named
    /// `filename` (`Content-Disposition: attachment`).
    Attachment {
        content_type: &'static str,
        filename: &'static str,
    },
}

/// A per-route translation of an operation error code.
#[derive(Debug, Clone, Copy)]
pub struct ErrorOverride {
    /// The GraphQL `extensions.code`.
    pub code: &'static str,
    pub status: u16,
    /// The REST code.
    pub rest_code: &'static str,
    /// The detail; `None` keeps the operation's message.
    pub detail: Option<&'static str>,
    /// The REST `field`, as written; `None` keeps the operation's (PascalCased for
    /// validation errors).
    pub field: Option<&'static str>,
    /// Only errors naming this input field (`extensions.field`) match; `None` matches any.
    /// List such an override before a field-less one of the same code.
    pub on_field: Option<&'static str>,
}

/// A per-route rate-limit bucket (`security.rate_limit.<name>.requests_per_minute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Login,
    Register,
    Checkout,
    GuestOrder,
    Search,
}

/// A cookie the response sets from a string field of the result (the guest-order token of
/// `POST /store/checkout`). The field is removed from the body; a null or empty field sets
/// no cookie. The cookie is `HttpOnly; SameSite=Lax`, plus `Secure` when the server's
/// cookies are secure (`security.csrf.secure`).
#[derive(Debug, Clone, Copy)]
pub struct ResultCookie {
    /// The result field holding the value.
    pub field: &'static str,
    pub name: &'static str,
    pub path: &'static str,
    /// Seconds.
    pub max_age: u64,
}

/// One route.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: Verb,
    /// The path, in axum syntax (`/api/v1/admin/api-keys/{id}`).
    pub path: &'static str,
    pub summary: &'static str,
    pub auth: AuthRule,
    /// The operation document (`schema/operations/rest/<file>`).
    pub file: &'static str,
    pub document: &'static str,
    pub operation: &'static str,
    pub vars: &'static [Var],
    /// The field of `data` holding the result.
    pub result: &'static str,
    pub envelope: Envelope,
    pub status: u16,
    pub family: Family,
    pub errors: &'static [ErrorOverride],
    pub bucket: Option<Bucket>,
    /// Name of the OpenAPI schema of the success body.
    pub response_schema: &'static str,
    /// Result fields dropped when null or an empty list (the reference's `omitempty`), at any depth.
    pub omit_null: &'static [&'static str],
    /// Set on the second row of a method and path that the reference serves with one handler
    /// choosing by the body (`POST /products/{id}/variants`: `option_groups` → generate,
    /// else create): this row runs when the JSON body has this top-level key, the row without
    /// it otherwise. Both rows must share auth rule and family.
    pub when_body_has: Option<&'static str>,
    /// A cookie set from the result, see [`ResultCookie`].
    pub set_cookie: Option<ResultCookie>,
}

/// Shorthand for building an override list.
pub const fn err(
    code: &'static str,
    status: u16,
    rest_code: &'static str,
    detail: Option<&'static str>,
) -> ErrorOverride {
    ErrorOverride {
        code,
        status,
        rest_code,
        detail,
        field: None,
        on_field: None,
    }
}

/// An override that also sets the REST `field` (as written, not PascalCased).
pub const fn err_field(
    code: &'static str,
    status: u16,
    rest_code: &'static str,
    detail: Option<&'static str>,
    field: &'static str,
) -> ErrorOverride {
    ErrorOverride {
        code,
        status,
        rest_code,
        detail,
        field: Some(field),
        on_field: None,
    }
}

/// An override for the errors of one input field (`extensions.field`), which keeps that
/// field's name as written in the REST error: e.g. `VALIDATION_ERROR` on `identifier` →
/// 422 `invalid_identifier`, field `identifier`.
pub const fn err_on(
    code: &'static str,
    field: &'static str,
    status: u16,
    rest_code: &'static str,
    detail: Option<&'static str>,
) -> ErrorOverride {
    ErrorOverride {
        code,
        status,
        rest_code,
        detail,
        field: Some(field),
        on_field: Some(field),
    }
}

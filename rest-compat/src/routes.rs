//! The rows: every `/api/v1` route served today. Adding a route is adding a row and an
//! operation file under `schema/operations/rest/`.

use crate::table::{
    AuthRule, Bucket, Default, Envelope, ErrorOverride, Family, QueryKind, Route, Var, Verb, err,
    err_field, err_on,
};
use crate::{checkout, shape};

macro_rules! op {
    ($file:literal) => {
        ($file, include_str!(concat!("../../schema/operations/rest/", $file)))
    };
    // An operation with shared fragments (`schema/operations/rest/fragments/`).
    ($file:literal, $($frag:literal),+) => {
        (
            $file,
            concat!(
                include_str!(concat!("../../schema/operations/rest/", $file)),
                $("\n", include_str!(concat!("../../schema/operations/rest/fragments/", $frag)),)+
            ),
        )
    };
}

const fn row(
    method: Verb,
    path: &'static str,
    summary: &'static str,
    auth: AuthRule,
    op: (&'static str, &'static str),
    operation: &'static str,
    result: &'static str,
) -> Route {
    Route {
        method,
        path,
        summary,
        auth,
        file: op.0,
        document: op.1,
        operation,
        vars: &[],
        result,
        envelope: Envelope::Data,
        status: 200,
        family: Family::Settings,
        errors: &[],
        bucket: None,
        response_schema: "Object",
        omit_null: &[],
        when_body_has: None,
        set_cookie: None,
    }
}

const CUSTOMER_FIELDS: &[&str] = &["email", "password", "first_name", "last_name"];
const SETTINGS_FIELDS: &[&str] = &[
    "store_name",
    "store_description",
    "logo_url",
    "favicon_url",
    "contact_email",
    "currency",
    "country",
    "timezone",
    "copyright_text",
    "maintenance_mode",
];
const CUSTOMER_OPTIONAL: &[&str] = &[
    "default_billing_address_id",
    "default_shipping_address_id",
    "custom_fields",
];
/// CustomerResponse with addresses (single GET): `addresses`, `company` and `phone` are
/// `omitempty` in the reference.
const CUSTOMER_DETAIL_OPTIONAL: &[&str] = &[
    "default_billing_address_id",
    "default_shipping_address_id",
    "custom_fields",
    "addresses",
    "company",
    "phone",
];
const CUSTOMER_UPDATE_FIELDS: &[&str] = &[
    "email",
    "first_name",
    "last_name",
    "active",
    "default_billing_address_id",
    "default_shipping_address_id",
    "custom_fields",
];
const EMAIL_TAKEN: &[ErrorOverride] = &[err(
    "CONFLICT",
    409,
    "email_taken",
    Some("a customer with this email already exists"),
)];
const ADDRESS_FIELDS: &[&str] = &[
    "first_name",
    "last_name",
    "company",
    "street",
    "city",
    "zip",
    "country_code",
    "phone",
];
const ADDRESS_OPTIONAL: &[&str] = &["company", "phone"];
const KEY_OPTIONAL: &[&str] = &["created_by", "customer_id", "last_used_at"];
const PRODUCT_OPTIONAL: &[&str] = &[
    "tax_rule_id",
    "translations",
    "media",
    "variants",
    "categories",
    "tags",
    "options",
    "color_hex",
    "sku",
    "weight",
    "attributes",
    "unit",
    "value_text",
    "value_numeric",
    "value_boolean",
    "option_id",
    "option_ids",
    "description",
];
/// The variant entity with attribute values (omitted when empty, as the reference).
const VARIANT_ATTRIBUTES_OPTIONAL: &[&str] = &[
    "sku",
    "price_net",
    "price_gross",
    "options",
    "color_hex",
    "attributes",
    "unit",
    "value_text",
    "value_numeric",
    "value_boolean",
    "option_id",
    "option_ids",
    "description",
];
const ATTRIBUTE_FIELDS: &[&str] = &[
    "identifier",
    "type",
    "unit",
    "position",
    "filterable",
    "required",
    "translations",
];
const ATTRIBUTE_OPTIONAL: &[&str] = &["unit", "description", "translations", "options"];
/// Cart fields the reference omits when empty (`items` is always an array).
const CART_OPTIONAL: &[&str] = &[
    "customer_id",
    "expires_at",
    "variant_id",
    "custom_fields",
    "discount_code",
];
/// An unknown or inactive product or variant, as the reference's checkout says it.
const fn invalid_product(on_field: &'static str) -> ErrorOverride {
    ErrorOverride {
        code: "VALIDATION_ERROR",
        status: 422,
        rest_code: "invalid_product",
        detail: None,
        field: Some("items"),
        on_field: Some(on_field),
    }
}
const CART_ADD_ERRORS: &[ErrorOverride] = &[
    invalid_product("productId"),
    invalid_product("variantId"),
    // A body without product_id (or with values of the wrong type) fails variable coercion.
    err(
        "GRAPHQL_VALIDATION_FAILED",
        400,
        "validation_error",
        Some("product_id is required"),
    ),
];
/// A body without a usable `quantity` fails variable coercion; a non-positive one the rule.
const CART_UPDATE_ERRORS: &[ErrorOverride] = &[
    err(
        "GRAPHQL_VALIDATION_FAILED",
        400,
        "validation_error",
        Some("quantity must be greater than zero"),
    ),
    err(
        "VALIDATION_ERROR",
        400,
        "validation_error",
        Some("quantity must be greater than zero"),
    ),
];
const ATTRIBUTE_ERRORS: &[ErrorOverride] = &[
    err_on(
        "VALIDATION_ERROR",
        "identifier",
        422,
        "invalid_identifier",
        None,
    ),
    err_on("VALIDATION_ERROR", "type", 422, "invalid_type", None),
    err_on(
        "CONFLICT",
        "identifier",
        409,
        "duplicate_identifier",
        Some("an attribute with this identifier already exists"),
    ),
];
const PRODUCT_FIELDS: &[&str] = &[
    "sku",
    "active",
    "price_net",
    "price_gross",
    "currency",
    "tax_rule_id",
    "weight",
    "translations",
    "category_ids",
    "tag_ids",
    "media_ids",
];
const PRODUCT_SORTS: &[&str] = &[
    "created_at",
    "updated_at",
    "price_net",
    "price_gross",
    "stock",
    "sku",
];
const KEY_FIELDS: &[&str] = &["name", "permissions"];
/// Bulk and import results: `sku`, `id` and `errors` are `omitempty` in the reference.
const BULK_OPTIONAL: &[&str] = &["sku", "id", "errors"];

const DISCOUNT_FIELDS: &[&str] = &[
    "code",
    "type",
    "value",
    "min_order_value",
    "max_uses",
    "valid_from",
    "valid_until",
    "active",
    "conditions",
];
const DISCOUNT_OPTIONAL: &[&str] = &["max_uses", "valid_from", "valid_until", "conditions"];
const DISCOUNT_CODE_TAKEN: &[ErrorOverride] = &[err(
    "CONFLICT",
    409,
    "duplicate_code",
    Some("a discount with this code already exists"),
)];
/// The reference's codes for a code that does not apply (its `validate`; `apply` never
/// refused there).
const DISCOUNT_REFUSALS: &[ErrorOverride] = &[
    err(
        "DISCOUNT_NOT_FOUND",
        422,
        "code_invalid",
        Some("discount code is invalid or expired"),
    ),
    err(
        "DISCOUNT_INACTIVE",
        422,
        "code_invalid",
        Some("discount code is invalid or expired"),
    ),
    err(
        "DISCOUNT_NOT_STARTED",
        422,
        "code_invalid",
        Some("discount code is invalid or expired"),
    ),
    err(
        "DISCOUNT_EXPIRED",
        422,
        "code_invalid",
        Some("discount code is invalid or expired"),
    ),
    err(
        "DISCOUNT_EXHAUSTED",
        422,
        "max_uses_reached",
        Some("discount code has reached its maximum number of uses"),
    ),
    err(
        "DISCOUNT_MIN_ORDER_VALUE",
        422,
        "validation_error",
        Some("invalid input: minimum order value not met"),
    ),
];

/// Order fields the reference omits when empty (`omitempty`), at any depth.
const ORDER_OPTIONAL: &[&str] = &[
    "customer_id",
    "guest_token",
    "billing_address",
    "shipping_address",
    "payment_method_id",
    "shipping_method_id",
    "notes",
    "payment_reference",
    "custom_fields",
    "product_id",
    "variant_id",
    "comment",
];
/// `PUT /admin/orders/{id}/status`: a refused transition (CONFLICT on `status`) is the
/// reference's 422 `invalid_transition`; input errors read like its validator.
const ORDER_STATUS_ERRORS: &[ErrorOverride] = &[
    err_on("CONFLICT", "status", 422, "invalid_transition", None),
    ErrorOverride {
        code: "VALIDATION_ERROR",
        status: 422,
        rest_code: "validation_error",
        detail: Some("oneof constraint violated on Status"),
        field: Some("Status"),
        on_field: Some("status"),
    },
    ErrorOverride {
        code: "VALIDATION_ERROR",
        status: 422,
        rest_code: "validation_error",
        detail: Some("max constraint violated on Comment"),
        field: Some("Comment"),
        on_field: Some("comment"),
    },
    err_field(
        "VALIDATION_ERROR",
        422,
        "validation_error",
        Some("required constraint violated on Status"),
        "Status",
    ),
    err("NOT_FOUND", 404, "not_found", Some("order not found")),
];

/// `POST /store/checkout`: the reference's 422 codes (and 422 for unknown or inactive
/// shipping methods, which the reference charged as 0).
const fn checkout_err(
    code: &'static str,
    on_field: &'static str,
    rest_code: &'static str,
    detail: Option<&'static str>,
    field: &'static str,
) -> ErrorOverride {
    ErrorOverride {
        code,
        status: 422,
        rest_code,
        detail,
        field: Some(field),
        on_field: Some(on_field),
    }
}
const CHECKOUT_ERRORS: &[ErrorOverride] = &[
    checkout_err(
        "VALIDATION_ERROR",
        "items",
        "invalid_product",
        Some("product or variant not found"),
        "items",
    ),
    checkout_err(
        "VALIDATION_ERROR",
        "productId",
        "missing_product_id",
        Some("product_id is required"),
        "items",
    ),
    checkout_err(
        "VALIDATION_ERROR",
        "cartId",
        "validation_error",
        None,
        "Items",
    ),
    checkout_err(
        "VALIDATION_ERROR",
        "paymentMethodId",
        "payment_method_required",
        None,
        "payment_method_id",
    ),
    checkout_err(
        "NOT_FOUND",
        "paymentMethodId",
        "invalid_payment_method",
        None,
        "payment_method_id",
    ),
    checkout_err(
        "VALIDATION_ERROR",
        "paymentReference",
        "payment_reference_required",
        None,
        "payment_reference",
    ),
    checkout_err(
        "NOT_FOUND",
        "shippingMethodId",
        "invalid_shipping_method",
        None,
        "shipping_method_id",
    ),
    err(
        "INSUFFICIENT_STOCK",
        422,
        "insufficient_stock",
        Some("one or more items are out of stock"),
    ),
    err("REJECTED", 422, "checkout_rejected", None),
];
/// The body fields of `POST /store/checkout`.
const CHECKOUT_FIELDS: &[&str] = &[
    "cart_id",
    "items",
    "currency",
    "billing_address",
    "shipping_address",
    "email",
    "shipping_method_id",
    "payment_method_id",
    "payment_reference",
    "discount_code",
    "notes",
    "custom_fields",
];

/// Every route of the table.
pub fn routes() -> &'static [Route] {
    ROUTES
}

static ROUTES: &[Route] = &[
    // --- auth -------------------------------------------------------------------------
    Route {
        vars: &[
            Var::BodyField {
                json: "email",
                var: "email",
                default: Default::EmptyString,
            },
            Var::BodyField {
                json: "password",
                var: "password",
                default: Default::EmptyString,
            },
        ],
        family: Family::Auth,
        bucket: Some(Bucket::Login),
        response_schema: "TokenPair",
        errors: &[
            err(
                "VALIDATION_ERROR",
                400,
                "validation_error",
                Some("email and password are required"),
            ),
            err("INVALID_CREDENTIALS", 401, "invalid_credentials", None),
            err("ACCOUNT_DISABLED", 401, "account_disabled", None),
            err("ACCOUNT_LOCKED", 429, "account_locked", None),
        ],
        ..row(
            Verb::Post,
            "/api/v1/auth/login",
            "Log in (staff or customer)",
            AuthRule::None,
            op!("auth_login.graphql"),
            "RestLogin",
            "login",
        )
    },
    Route {
        vars: &[Var::BodyField {
            json: "refresh_token",
            var: "refreshToken",
            default: Default::EmptyString,
        }],
        family: Family::Auth,
        response_schema: "TokenPair",
        errors: &[
            err(
                "INVALID_TOKEN",
                401,
                "invalid_token",
                Some("invalid refresh token"),
            ),
            err(
                "TOKEN_EXPIRED",
                401,
                "invalid_token",
                Some("refresh token is invalid"),
            ),
            err("TOKEN_REUSED", 401, "invalid_token", None),
            err("ACCOUNT_DISABLED", 401, "account_disabled", None),
        ],
        ..row(
            Verb::Post,
            "/api/v1/auth/refresh",
            "Rotate a refresh token",
            AuthRule::None,
            op!("auth_refresh.graphql"),
            "RestRefresh",
            "refreshToken",
        )
    },
    Route {
        vars: &[Var::BodyField {
            json: "refresh_token",
            var: "refreshToken",
            default: Default::None,
        }],
        family: Family::Auth,
        envelope: Envelope::Message("logged out successfully"),
        response_schema: "Message",
        ..row(
            Verb::Post,
            "/api/v1/auth/logout",
            "Log out (revokes the access token and refresh tokens)",
            AuthRule::Optional,
            op!("auth_logout.graphql"),
            "RestLogout",
            "logout",
        )
    },
    // --- store: account --------------------------------------------------------------
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: CUSTOMER_FIELDS,
        }],
        status: 201,
        family: Family::Customer,
        bucket: Some(Bucket::Register),
        response_schema: "Customer",
        omit_null: CUSTOMER_OPTIONAL,
        errors: &[err(
            "CONFLICT",
            409,
            "email_taken",
            Some("a customer with this email already exists"),
        )],
        ..row(
            Verb::Post,
            "/api/v1/store/register",
            "Register a customer",
            AuthRule::Optional,
            op!("store_register.graphql", "customer.graphql"),
            "RestRegister",
            "register",
        )
    },
    Route {
        family: Family::Customer,
        response_schema: "Customer",
        omit_null: CUSTOMER_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/account",
            "The signed-in customer's account",
            AuthRule::Customer,
            op!("store_account_get.graphql", "customer.graphql"),
            "RestAccount",
            "account",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["email", "first_name", "last_name"],
        }],
        family: Family::Customer,
        response_schema: "Customer",
        omit_null: CUSTOMER_OPTIONAL,
        errors: &[err(
            "CONFLICT",
            409,
            "email_taken",
            Some("a customer with this email already exists"),
        )],
        ..row(
            Verb::Put,
            "/api/v1/store/account",
            "Update the signed-in customer's account",
            AuthRule::Customer,
            op!("store_account_update.graphql", "customer.graphql"),
            "RestUpdateAccount",
            "updateAccount",
        )
    },
    // --- admin: customers (reference §2.2, §3.5) --------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "search",
                var: "search",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "filter[active]",
                var: "active",
                kind: QueryKind::Bool,
            },
        ],
        family: Family::Customer,
        envelope: Envelope::List,
        response_schema: "CustomerPage",
        omit_null: CUSTOMER_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/customers",
            "Customers, newest first (customers.read)",
            AuthRule::Staff,
            op!("admin_customers_list.graphql", "customer.graphql"),
            "RestAdminCustomers",
            "customers",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: CUSTOMER_FIELDS,
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "Customer",
        omit_null: CUSTOMER_OPTIONAL,
        errors: EMAIL_TAKEN,
        ..row(
            Verb::Post,
            "/api/v1/admin/customers",
            "Create a customer (customers.create)",
            AuthRule::Staff,
            op!("admin_customer_create.graphql", "customer.graphql"),
            "RestAdminCreateCustomer",
            "createCustomer",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Customer",
        omit_null: CUSTOMER_DETAIL_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/customers/{id}",
            "A customer with addresses (customers.read)",
            AuthRule::Staff,
            op!(
                "admin_customer_get.graphql",
                "customer.graphql",
                "customer_address.graphql"
            ),
            "RestAdminCustomer",
            "customer",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: CUSTOMER_UPDATE_FIELDS,
            },
        ],
        family: Family::Customer,
        response_schema: "Customer",
        omit_null: CUSTOMER_OPTIONAL,
        errors: EMAIL_TAKEN,
        ..row(
            Verb::Put,
            "/api/v1/admin/customers/{id}",
            "Change a customer, partially (customers.update)",
            AuthRule::Staff,
            op!("admin_customer_update.graphql", "customer.graphql"),
            "RestAdminUpdateCustomer",
            "updateCustomer",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/customers/{id}",
            "Delete a customer; orders stay (customers.delete)",
            AuthRule::Staff,
            op!("admin_customer_delete.graphql"),
            "RestAdminDeleteCustomer",
            "deleteCustomer",
        )
    },
    // --- admin: customer addresses (a Stoa addition) -----------------------------------
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "customerId",
            },
            Var::BodyInput {
                var: "input",
                fields: ADDRESS_FIELDS,
            },
        ],
        status: 201,
        family: Family::Customer,
        response_schema: "CustomerAddress",
        omit_null: ADDRESS_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/admin/customers/{id}/addresses",
            "Add an address to a customer (customers.update)",
            AuthRule::Staff,
            op!(
                "admin_customer_address_create.graphql",
                "customer_address.graphql"
            ),
            "RestAdminCreateCustomerAddress",
            "createCustomerAddress",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "customerId",
            },
            Var::PathUuid {
                param: "addressId",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: ADDRESS_FIELDS,
            },
        ],
        family: Family::Customer,
        response_schema: "CustomerAddress",
        omit_null: ADDRESS_OPTIONAL,
        ..row(
            Verb::Put,
            "/api/v1/admin/customers/{id}/addresses/{addressId}",
            "Change a customer's address, partially (customers.update)",
            AuthRule::Staff,
            op!(
                "admin_customer_address_update.graphql",
                "customer_address.graphql"
            ),
            "RestAdminUpdateCustomerAddress",
            "updateCustomerAddress",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "customerId",
            },
            Var::PathUuid {
                param: "addressId",
                var: "id",
            },
        ],
        family: Family::Customer,
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/customers/{id}/addresses/{addressId}",
            "Delete a customer's address (customers.update)",
            AuthRule::Staff,
            op!("admin_customer_address_delete.graphql"),
            "RestAdminDeleteCustomerAddress",
            "deleteCustomerAddress",
        )
    },
    // --- store: account addresses (a Stoa addition) ------------------------------------
    Route {
        family: Family::Customer,
        response_schema: "CustomerAddressList",
        omit_null: ADDRESS_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/account/addresses",
            "The signed-in customer's addresses",
            AuthRule::Customer,
            op!("store_addresses_list.graphql", "customer_address.graphql"),
            "RestMyAddresses",
            "myAddresses",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: ADDRESS_FIELDS,
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "CustomerAddress",
        omit_null: ADDRESS_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/store/account/addresses",
            "Add an address to the signed-in customer's address book",
            AuthRule::Customer,
            op!("store_address_create.graphql", "customer_address.graphql"),
            "RestCreateMyAddress",
            "createMyAddress",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: ADDRESS_FIELDS,
            },
        ],
        family: Family::Customer,
        response_schema: "CustomerAddress",
        omit_null: ADDRESS_OPTIONAL,
        ..row(
            Verb::Put,
            "/api/v1/store/account/addresses/{id}",
            "Change one of the signed-in customer's addresses, partially",
            AuthRule::Customer,
            op!("store_address_update.graphql", "customer_address.graphql"),
            "RestUpdateMyAddress",
            "updateMyAddress",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/store/account/addresses/{id}",
            "Delete one of the signed-in customer's addresses",
            AuthRule::Customer,
            op!("store_address_delete.graphql"),
            "RestDeleteMyAddress",
            "deleteMyAddress",
        )
    },
    // --- store: cart ------------------------------------------------------------------
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["currency", "session_id", "expires_at"],
        }],
        status: 201,
        family: Family::Cart,
        response_schema: "Cart",
        omit_null: CART_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/store/cart",
            "Create a cart (the signed-in customer's, else a guest cart keyed by session_id)",
            AuthRule::Optional,
            op!("store_cart_create.graphql", "cart.graphql"),
            "RestCreateCart",
            "createCart",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Cart,
        response_schema: "Cart",
        omit_null: CART_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/cart/{id}",
            "A cart with prices and totals (owner only; guests send X-Session-ID)",
            AuthRule::Optional,
            op!("store_cart_get.graphql", "cart.graphql"),
            "RestGetCart",
            "cart",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "cartId",
            },
            Var::BodyInput {
                var: "input",
                fields: &["product_id", "variant_id", "quantity", "custom_fields"],
            },
        ],
        status: 201,
        family: Family::Cart,
        response_schema: "Cart",
        omit_null: CART_OPTIONAL,
        errors: CART_ADD_ERRORS,
        ..row(
            Verb::Post,
            "/api/v1/store/cart/{id}/items",
            "Add a line to a cart (the same line adds up; stock is checked)",
            AuthRule::Optional,
            op!("store_cart_add_item.graphql", "cart.graphql"),
            "RestAddToCart",
            "addToCart",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "cartId",
            },
            Var::PathUuid {
                param: "itemId",
                var: "itemId",
            },
            Var::BodyField {
                json: "quantity",
                var: "quantity",
                default: Default::None,
            },
        ],
        family: Family::Cart,
        response_schema: "Cart",
        omit_null: CART_OPTIONAL,
        errors: CART_UPDATE_ERRORS,
        ..row(
            Verb::Put,
            "/api/v1/store/cart/{id}/items/{itemId}",
            "Set the quantity of a line of the cart",
            AuthRule::Optional,
            op!("store_cart_update_item.graphql", "cart.graphql"),
            "RestUpdateCartItem",
            "updateCartItem",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "cartId",
            },
            Var::PathUuid {
                param: "itemId",
                var: "itemId",
            },
        ],
        family: Family::Cart,
        response_schema: "Cart",
        omit_null: CART_OPTIONAL,
        ..row(
            Verb::Delete,
            "/api/v1/store/cart/{id}/items/{itemId}",
            "Remove a line of the cart",
            AuthRule::Optional,
            op!("store_cart_remove_item.graphql", "cart.graphql"),
            "RestRemoveCartItem",
            "removeCartItem",
        )
    },
    // --- store: API keys -------------------------------------------------------------
    Route {
        family: Family::Auth,
        response_schema: "ApiKeyList",
        omit_null: KEY_OPTIONAL,
        envelope: Envelope::Converted(shape::api_key_list),
        errors: &[err(
            "FORBIDDEN",
            403,
            "forbidden",
            Some("only customers can manage store API keys"),
        )],
        ..row(
            Verb::Get,
            "/api/v1/store/api-keys",
            "The customer's API keys",
            AuthRule::Authenticated,
            op!("store_api_keys_list.graphql", "api_key.graphql"),
            "RestStoreApiKeys",
            "storeApiKeys",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: KEY_FIELDS,
        }],
        status: 201,
        family: Family::Auth,
        envelope: Envelope::Converted(shape::created_key),
        response_schema: "CreatedStoreApiKey",
        errors: &[
            err("VALIDATION_ERROR", 400, "validation_error", None),
            err("LIMIT_EXCEEDED", 409, "limit_exceeded", None),
            err(
                "FORBIDDEN",
                403,
                "forbidden",
                Some("only customers can manage store API keys"),
            ),
        ],
        ..row(
            Verb::Post,
            "/api/v1/store/api-keys",
            "Create a customer API key (sk_)",
            AuthRule::Authenticated,
            op!("store_api_keys_create.graphql"),
            "RestStoreCreateApiKey",
            "createStoreApiKey",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Auth,
        envelope: Envelope::Message("store API key revoked"),
        response_schema: "Message",
        errors: &[
            err(
                "NOT_FOUND",
                404,
                "not_found",
                Some("store API key not found"),
            ),
            err(
                "FORBIDDEN",
                403,
                "forbidden",
                Some("only customers can manage store API keys"),
            ),
        ],
        ..row(
            Verb::Delete,
            "/api/v1/store/api-keys/{id}",
            "Revoke a customer API key",
            AuthRule::Authenticated,
            op!("store_api_keys_revoke.graphql"),
            "RestStoreRevokeApiKey",
            "revokeStoreApiKey",
        )
    },
    // --- admin: API keys -------------------------------------------------------------
    Route {
        family: Family::Auth,
        response_schema: "ApiKeyList",
        omit_null: KEY_OPTIONAL,
        envelope: Envelope::Converted(shape::api_key_list),
        ..row(
            Verb::Get,
            "/api/v1/admin/api-keys",
            "Staff API keys",
            AuthRule::Staff,
            op!("admin_api_keys_list.graphql", "api_key.graphql"),
            "RestAdminApiKeys",
            "apiKeys",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: KEY_FIELDS,
        }],
        status: 201,
        family: Family::Auth,
        envelope: Envelope::Converted(shape::created_key),
        response_schema: "CreatedAdminApiKey",
        errors: &[
            err("VALIDATION_ERROR", 400, "validation_error", None),
            err("LIMIT_EXCEEDED", 409, "limit_exceeded", None),
        ],
        ..row(
            Verb::Post,
            "/api/v1/admin/api-keys",
            "Create a staff API key (ck_)",
            AuthRule::Staff,
            op!("admin_api_keys_create.graphql"),
            "RestAdminCreateApiKey",
            "createApiKey",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Auth,
        envelope: Envelope::Message("API key revoked"),
        response_schema: "Message",
        errors: &[err(
            "NOT_FOUND",
            404,
            "not_found",
            Some("API key not found"),
        )],
        ..row(
            Verb::Delete,
            "/api/v1/admin/api-keys/{id}",
            "Revoke a staff API key",
            AuthRule::Staff,
            op!("admin_api_keys_revoke.graphql"),
            "RestAdminRevokeApiKey",
            "revokeApiKey",
        )
    },
    // --- config and settings ---------------------------------------------------------
    Route {
        response_schema: "Config",
        ..row(
            Verb::Get,
            "/api/v1/store/config",
            "Locale configuration",
            AuthRule::Optional,
            op!("store_config.graphql"),
            "RestStoreConfig",
            "storeConfig",
        )
    },
    Route {
        response_schema: "Config",
        ..row(
            Verb::Get,
            "/api/v1/admin/config",
            "Locale configuration (settings.read)",
            AuthRule::Staff,
            op!("admin_config.graphql"),
            "RestAdminConfig",
            "adminConfig",
        )
    },
    Route {
        response_schema: "StoreSettings",
        ..row(
            Verb::Get,
            "/api/v1/store/settings",
            "Store settings",
            AuthRule::Optional,
            op!("store_settings.graphql", "settings.graphql"),
            "RestStoreSettings",
            "storeSettings",
        )
    },
    Route {
        response_schema: "StoreSettings",
        ..row(
            Verb::Get,
            "/api/v1/admin/settings",
            "Store settings (settings.read)",
            AuthRule::Staff,
            op!("admin_settings_get.graphql", "settings.graphql"),
            "RestAdminSettings",
            "settings",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: SETTINGS_FIELDS,
        }],
        response_schema: "StoreSettings",
        ..row(
            Verb::Put,
            "/api/v1/admin/settings",
            "Update store settings (settings.update)",
            AuthRule::Staff,
            op!("admin_settings_update.graphql", "settings.graphql"),
            "RestAdminUpdateSettings",
            "updateSettings",
        )
    },
    // --- store: catalog -------------------------------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "sort",
                var: "sort",
                kind: QueryKind::Enum(PRODUCT_SORTS),
            },
            Var::Query {
                name: "order",
                var: "order",
                kind: QueryKind::Order,
            },
            Var::Query {
                name: "search",
                var: "search",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "category_id",
                var: "categoryId",
                kind: QueryKind::Uuid,
            },
        ],
        family: Family::Customer,
        envelope: Envelope::Page,
        response_schema: "ProductPage",
        omit_null: PRODUCT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/products",
            "Active products (list shape: no categories, tags or attributes)",
            AuthRule::Optional,
            op!("store_products_list.graphql", "product_list_item.graphql"),
            "RestStoreProducts",
            "products",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/products/id/{id}",
            "An active product by id",
            AuthRule::Optional,
            op!("store_product_by_id.graphql", "product_detail.graphql"),
            "RestStoreProductById",
            "product",
        )
    },
    Route {
        vars: &[Var::PathString {
            param: "slug",
            var: "slug",
        }],
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/products/{slug}",
            "An active product by slug (any locale; Accept-Language first)",
            AuthRule::Optional,
            op!("store_product_by_slug.graphql", "product_detail.graphql"),
            "RestStoreProductBySlug",
            "product",
        )
    },
    Route {
        vars: &[Var::Query {
            name: "locale",
            var: "locale",
            kind: QueryKind::Str,
        }],
        envelope: Envelope::Converted(shape::category_tree),
        response_schema: "CategoryTree",
        ..row(
            Verb::Get,
            "/api/v1/store/categories/tree",
            "Active categories as a tree, in one locale (?locale=, default i18n.default_locale)",
            AuthRule::Optional,
            op!("store_categories_tree.graphql"),
            "RestStoreCategoryTree",
            "categoryTree",
        )
    },
    // --- admin: catalog -------------------------------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "search",
                var: "search",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "filter[active]",
                var: "active",
                kind: QueryKind::Bool,
            },
        ],
        family: Family::Customer,
        envelope: Envelope::Page,
        response_schema: "ProductPage",
        omit_null: PRODUCT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/products",
            "Every product (products.read)",
            AuthRule::Staff,
            op!("admin_products_list.graphql", "product_list_item.graphql"),
            "RestAdminProducts",
            "adminProducts",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: PRODUCT_FIELDS,
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Post,
            "/api/v1/admin/products",
            "Create a product (products.create)",
            AuthRule::Staff,
            op!("admin_product_create.graphql", "product_detail.graphql"),
            "RestAdminCreateProduct",
            "createProduct",
        )
    },
    Route {
        vars: &[Var::BodyWith {
            json: "products",
            var: "products",
            convert: crate::bulk::bulk_products,
        }],
        status: 207,
        family: Family::Customer,
        response_schema: "BulkResult",
        omit_null: BULK_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/admin/products/bulk",
            "Create or update 1 to 250 products by SKU, with variants and default-warehouse stock; per-item results (products.create; updating an existing SKU also products.update)",
            AuthRule::Staff,
            op!("admin_products_bulk.graphql", "bulk_result.graphql"),
            "RestAdminBulkProducts",
            "bulkUpsertProducts",
        )
    },
    Route {
        vars: &[Var::File {
            field: "file",
            var: "file",
        }],
        status: 207,
        family: Family::Customer,
        response_schema: "BulkResult",
        omit_null: BULK_OPTIONAL,
        errors: &[err_field(
            "VALIDATION_ERROR",
            400,
            "csv_parse_error",
            None,
            "file",
        )],
        ..row(
            Verb::Post,
            "/api/v1/admin/products/import",
            "Import products from a CSV file: multipart `file`, at most 10 MiB; per-product results (products.create)",
            AuthRule::Staff,
            op!("admin_products_import.graphql", "bulk_result.graphql"),
            "RestAdminImportProducts",
            "importProducts",
        )
    },
    Route {
        family: Family::Customer,
        envelope: Envelope::Attachment {
            content_type: "text/csv; charset=utf-8",
            filename: "product_import_template.csv",
        },
        response_schema: "Csv",
        ..row(
            Verb::Get,
            "/api/v1/admin/products/import/template",
            "The product import CSV template: header and one product with two variants (products.read)",
            AuthRule::Staff,
            op!("admin_products_import_template.graphql"),
            "RestAdminProductImportTemplate",
            "productImportTemplate",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/products/{id}",
            "A product (products.read)",
            AuthRule::Staff,
            op!("admin_product_get.graphql", "product_detail.graphql"),
            "RestAdminProduct",
            "adminProduct",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: PRODUCT_FIELDS,
            },
        ],
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Put,
            "/api/v1/admin/products/{id}",
            "Update a product, partially (products.update)",
            AuthRule::Staff,
            op!("admin_product_update.graphql", "product_detail.graphql"),
            "RestAdminUpdateProduct",
            "updateProduct",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        envelope: Envelope::NoContent,
        status: 204,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/products/{id}",
            "Delete a product (products.delete)",
            AuthRule::Staff,
            op!("admin_product_delete.graphql"),
            "RestAdminDeleteProduct",
            "deleteProduct",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::BodyField {
                json: "option_groups",
                var: "optionGroups",
                default: Default::None,
            },
        ],
        status: 201,
        family: Family::Customer,
        response_schema: "VariantList",
        omit_null: PRODUCT_OPTIONAL,
        when_body_has: Some("option_groups"),
        ..row(
            Verb::Post,
            "/api/v1/admin/products/{id}/variants",
            "Generate variants from option lists, one per property group (products.create)",
            AuthRule::Staff,
            op!("admin_variants_generate.graphql"),
            "RestAdminGenerateVariants",
            "generateVariants",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "warehouseId",
            },
            Var::BodyField {
                json: "items",
                var: "items",
                default: Default::None,
            },
        ],
        response_schema: "WarehouseStockList",
        omit_null: &["variant_id"],
        ..row(
            Verb::Put,
            "/api/v1/admin/warehouses/{id}/stock",
            "Set absolute stock quantities in a warehouse (products.update)",
            AuthRule::Staff,
            op!("admin_warehouse_stock_set.graphql"),
            "RestAdminSetStock",
            "setWarehouseStock",
        )
    },
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "active",
                var: "active",
                kind: QueryKind::Bool,
            },
        ],
        envelope: Envelope::List,
        response_schema: "WarehousePage",
        ..row(
            Verb::Get,
            "/api/v1/admin/warehouses",
            "Warehouses by priority (products.read)",
            AuthRule::Staff,
            op!("admin_warehouses_list.graphql", "warehouse.graphql"),
            "RestAdminWarehouses",
            "warehousePage",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["name", "code", "priority", "active"],
        }],
        status: 201,
        response_schema: "Warehouse",
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_code",
            Some("a warehouse with this code already exists"),
        )],
        ..row(
            Verb::Post,
            "/api/v1/admin/warehouses",
            "Create a warehouse (products.update)",
            AuthRule::Staff,
            op!("admin_warehouses_create.graphql"),
            "RestAdminCreateWarehouse",
            "createWarehouse",
        )
    },
    Route {
        response_schema: "TaxRuleList",
        ..row(
            Verb::Get,
            "/api/v1/admin/tax-rules",
            "Tax rules (tax.read)",
            AuthRule::Staff,
            op!("admin_tax_rules_list.graphql"),
            "RestAdminTaxRules",
            "taxRules",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["name", "rate", "country_code", "type"],
        }],
        status: 201,
        response_schema: "TaxRule",
        ..row(
            Verb::Post,
            "/api/v1/admin/tax-rules",
            "Create a tax rule (tax.create)",
            AuthRule::Staff,
            op!("admin_tax_rules_create.graphql"),
            "RestAdminCreateTaxRule",
            "createTaxRule",
        )
    },
    Route {
        family: Family::Customer,
        response_schema: "PropertyGroupList",
        omit_null: &["color_hex"],
        ..row(
            Verb::Get,
            "/api/v1/admin/property-groups",
            "Property groups with options (products.read)",
            AuthRule::Staff,
            op!("admin_property_groups_list.graphql"),
            "RestAdminPropertyGroups",
            "propertyGroups",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["identifier", "position", "translations", "options"],
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "PropertyGroup",
        omit_null: &["color_hex"],
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_identifier",
            Some("a property group with this identifier already exists"),
        )],
        ..row(
            Verb::Post,
            "/api/v1/admin/property-groups",
            "Create a property group with options (products.create)",
            AuthRule::Staff,
            op!("admin_property_groups_create.graphql"),
            "RestAdminCreatePropertyGroup",
            "createPropertyGroup",
        )
    },
    // --- admin: catalog maintenance ----------------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "name",
                var: "name",
                kind: QueryKind::Str,
            },
        ],
        envelope: Envelope::List,
        response_schema: "TagPage",
        ..row(
            Verb::Get,
            "/api/v1/admin/tags",
            "Tags by name (products.read)",
            AuthRule::Staff,
            op!("admin_tags_list.graphql"),
            "RestAdminTags",
            "tags",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &["name", "slug"],
        }],
        status: 201,
        response_schema: "Tag",
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_slug",
            Some("a tag with this slug already exists"),
        )],
        ..row(
            Verb::Post,
            "/api/v1/admin/tags",
            "Create a tag (products.create)",
            AuthRule::Staff,
            op!("admin_tag_create.graphql"),
            "RestAdminCreateTag",
            "createTag",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "Tag",
        ..row(
            Verb::Get,
            "/api/v1/admin/tags/{id}",
            "A tag (products.read)",
            AuthRule::Staff,
            op!("admin_tag_get.graphql"),
            "RestAdminTag",
            "tag",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: &["name", "slug"],
            },
        ],
        response_schema: "Tag",
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_slug",
            Some("a tag with this slug already exists"),
        )],
        ..row(
            Verb::Put,
            "/api/v1/admin/tags/{id}",
            "Rename a tag (products.update)",
            AuthRule::Staff,
            op!("admin_tag_update.graphql"),
            "RestAdminUpdateTag",
            "updateTag",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/tags/{id}",
            "Delete a tag (products.delete)",
            AuthRule::Staff,
            op!("admin_tag_delete.graphql"),
            "RestAdminDeleteTag",
            "deleteTag",
        )
    },
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "parent_id",
                var: "parentId",
                kind: QueryKind::Uuid,
            },
            Var::Query {
                name: "active",
                var: "active",
                kind: QueryKind::Bool,
            },
        ],
        family: Family::Customer,
        envelope: Envelope::List,
        response_schema: "CategoryPage",
        omit_null: &["parent_id", "custom_fields", "description", "translations"],
        ..row(
            Verb::Get,
            "/api/v1/admin/categories",
            "Categories, active or not, by position (categories.read)",
            AuthRule::Staff,
            op!("admin_categories_list.graphql", "category_admin.graphql"),
            "RestAdminCategories",
            "adminCategories",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: &[
                "parent_id",
                "position",
                "active",
                "custom_fields",
                "translations",
            ],
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "Category",
        omit_null: &["parent_id", "custom_fields", "description", "translations"],
        ..row(
            Verb::Post,
            "/api/v1/admin/categories",
            "Create a category (categories.create)",
            AuthRule::Staff,
            op!("admin_category_create.graphql", "category_admin.graphql"),
            "RestAdminCreateCategory",
            "createCategory",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Category",
        omit_null: &["parent_id", "custom_fields", "description", "translations"],
        ..row(
            Verb::Get,
            "/api/v1/admin/categories/{id}",
            "A category (categories.read)",
            AuthRule::Staff,
            op!("admin_category_get.graphql", "category_admin.graphql"),
            "RestAdminCategory",
            "adminCategory",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: &[
                    "parent_id",
                    "position",
                    "active",
                    "custom_fields",
                    "translations",
                ],
            },
        ],
        family: Family::Customer,
        response_schema: "Category",
        omit_null: &["parent_id", "custom_fields", "description", "translations"],
        ..row(
            Verb::Put,
            "/api/v1/admin/categories/{id}",
            "Replace a category (categories.update)",
            AuthRule::Staff,
            op!("admin_category_update.graphql", "category_admin.graphql"),
            "RestAdminUpdateCategory",
            "updateCategory",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/categories/{id}",
            "Delete a category; children move up (categories.delete)",
            AuthRule::Staff,
            op!("admin_category_delete.graphql"),
            "RestAdminDeleteCategory",
            "deleteCategory",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::BodyInput {
                var: "input",
                fields: &[
                    "sku",
                    "price_net",
                    "price_gross",
                    "stock",
                    "active",
                    "option_ids",
                ],
            },
        ],
        status: 201,
        family: Family::Customer,
        response_schema: "Variant",
        omit_null: VARIANT_ATTRIBUTES_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Post,
            "/api/v1/admin/products/{id}/variants",
            "Create one variant (products.create)",
            AuthRule::Staff,
            op!("admin_variant_create.graphql", "variant_entity.graphql"),
            "RestAdminCreateVariant",
            "createVariant",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::PathUuid {
                param: "variantId",
                var: "variantId",
            },
            Var::BodyInput {
                var: "input",
                fields: &[
                    "sku",
                    "price_net",
                    "price_gross",
                    "stock",
                    "active",
                    "option_ids",
                ],
            },
        ],
        family: Family::Customer,
        response_schema: "Variant",
        omit_null: VARIANT_ATTRIBUTES_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Put,
            "/api/v1/admin/products/{id}/variants/{variantId}",
            "Replace a variant (products.update)",
            AuthRule::Staff,
            op!("admin_variant_update.graphql", "variant_entity.graphql"),
            "RestAdminUpdateVariant",
            "updateVariant",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::PathUuid {
                param: "variantId",
                var: "variantId",
            },
        ],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/products/{id}/variants/{variantId}",
            "Delete a variant (products.delete)",
            AuthRule::Staff,
            op!("admin_variant_delete.graphql"),
            "RestAdminDeleteVariant",
            "deleteVariant",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "productID",
            var: "productId",
        }],
        response_schema: "StockEntryList",
        omit_null: &["variant_id", "product_sku", "product_name", "variant_sku"],
        ..row(
            Verb::Get,
            "/api/v1/admin/products/{productID}/stock",
            "A product's stock in every warehouse (products.read)",
            AuthRule::Staff,
            op!("admin_product_stock.graphql", "stock_entry.graphql"),
            "RestAdminProductStock",
            "productStock",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "PropertyGroup",
        omit_null: &["color_hex"],
        ..row(
            Verb::Get,
            "/api/v1/admin/property-groups/{id}",
            "A property group with options (products.read)",
            AuthRule::Staff,
            op!("admin_property_group_get.graphql", "property_group.graphql"),
            "RestAdminPropertyGroup",
            "propertyGroup",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: &["identifier", "position", "translations"],
            },
        ],
        family: Family::Customer,
        response_schema: "PropertyGroup",
        omit_null: &["color_hex"],
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_identifier",
            Some("a property group with this identifier already exists"),
        )],
        ..row(
            Verb::Put,
            "/api/v1/admin/property-groups/{id}",
            "Replace a property group's identifier, position and names (products.update)",
            AuthRule::Staff,
            op!(
                "admin_property_group_update.graphql",
                "property_group.graphql"
            ),
            "RestAdminUpdatePropertyGroup",
            "updatePropertyGroup",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/property-groups/{id}",
            "Delete a property group (products.delete)",
            AuthRule::Staff,
            op!("admin_property_group_delete.graphql"),
            "RestAdminDeletePropertyGroup",
            "deletePropertyGroup",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "groupId",
            },
            Var::BodyInput {
                var: "input",
                fields: &["code", "color_hex", "position", "translations"],
            },
        ],
        status: 201,
        family: Family::Customer,
        response_schema: "PropertyOption",
        omit_null: &["color_hex"],
        ..row(
            Verb::Post,
            "/api/v1/admin/property-groups/{id}/options",
            "Add an option (products.create)",
            AuthRule::Staff,
            op!(
                "admin_property_option_create.graphql",
                "property_option.graphql"
            ),
            "RestAdminCreatePropertyOption",
            "createPropertyOption",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "groupId",
            },
            Var::PathUuid {
                param: "optId",
                var: "optionId",
            },
            Var::BodyInput {
                var: "input",
                fields: &["code", "color_hex", "position", "translations"],
            },
        ],
        family: Family::Customer,
        response_schema: "PropertyOption",
        omit_null: &["color_hex"],
        ..row(
            Verb::Put,
            "/api/v1/admin/property-groups/{id}/options/{optId}",
            "Replace an option (products.update)",
            AuthRule::Staff,
            op!(
                "admin_property_option_update.graphql",
                "property_option.graphql"
            ),
            "RestAdminUpdatePropertyOption",
            "updatePropertyOption",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "groupId",
            },
            Var::PathUuid {
                param: "optId",
                var: "optionId",
            },
        ],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/property-groups/{id}/options/{optId}",
            "Delete an option (products.delete)",
            AuthRule::Staff,
            op!("admin_property_option_delete.graphql"),
            "RestAdminDeletePropertyOption",
            "deletePropertyOption",
        )
    },
    // --- admin: attributes (reference §2.2, §3.3) ------------------------------------
    Route {
        family: Family::Customer,
        response_schema: "AttributeList",
        omit_null: ATTRIBUTE_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/attributes",
            "Attribute definitions with options, by position (products.read)",
            AuthRule::Staff,
            op!("admin_attributes_list.graphql", "attribute.graphql"),
            "RestAdminAttributes",
            "attributes",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: ATTRIBUTE_FIELDS,
        }],
        status: 201,
        family: Family::Customer,
        response_schema: "Attribute",
        omit_null: ATTRIBUTE_OPTIONAL,
        errors: ATTRIBUTE_ERRORS,
        ..row(
            Verb::Post,
            "/api/v1/admin/attributes",
            "Create an attribute definition (products.create)",
            AuthRule::Staff,
            op!("admin_attributes_create.graphql", "attribute.graphql"),
            "RestAdminCreateAttribute",
            "createAttribute",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Attribute",
        omit_null: ATTRIBUTE_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/attributes/{id}",
            "An attribute definition with options (products.read)",
            AuthRule::Staff,
            op!("admin_attribute_get.graphql", "attribute.graphql"),
            "RestAdminAttribute",
            "attribute",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: ATTRIBUTE_FIELDS,
            },
        ],
        family: Family::Customer,
        response_schema: "Attribute",
        omit_null: ATTRIBUTE_OPTIONAL,
        errors: ATTRIBUTE_ERRORS,
        ..row(
            Verb::Put,
            "/api/v1/admin/attributes/{id}",
            "Replace an attribute definition and its translations (products.update)",
            AuthRule::Staff,
            op!("admin_attribute_update.graphql", "attribute.graphql"),
            "RestAdminUpdateAttribute",
            "updateAttribute",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/attributes/{id}",
            "Delete an attribute with its options and values (products.delete)",
            AuthRule::Staff,
            op!("admin_attribute_delete.graphql"),
            "RestAdminDeleteAttribute",
            "deleteAttribute",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "attributeId",
            },
            Var::BodyInput {
                var: "input",
                fields: &["position", "translations"],
            },
        ],
        status: 201,
        family: Family::Customer,
        response_schema: "AttributeOption",
        omit_null: ATTRIBUTE_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/admin/attributes/{id}/options",
            "Add an option to a select or multi_select attribute (products.create)",
            AuthRule::Staff,
            op!(
                "admin_attribute_option_create.graphql",
                "attribute_option.graphql"
            ),
            "RestAdminCreateAttributeOption",
            "createAttributeOption",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "attributeId",
            },
            Var::PathUuid {
                param: "optId",
                var: "optionId",
            },
            Var::BodyInput {
                var: "input",
                fields: &["position", "translations"],
            },
        ],
        family: Family::Customer,
        response_schema: "AttributeOption",
        omit_null: ATTRIBUTE_OPTIONAL,
        ..row(
            Verb::Put,
            "/api/v1/admin/attributes/{id}/options/{optId}",
            "Replace an attribute option (products.update)",
            AuthRule::Staff,
            op!(
                "admin_attribute_option_update.graphql",
                "attribute_option.graphql"
            ),
            "RestAdminUpdateAttributeOption",
            "updateAttributeOption",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "attributeId",
            },
            Var::PathUuid {
                param: "optId",
                var: "optionId",
            },
        ],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/attributes/{id}/options/{optId}",
            "Delete an attribute option; refused while values use it (products.delete)",
            AuthRule::Staff,
            op!("admin_attribute_option_delete.graphql"),
            "RestAdminDeleteAttributeOption",
            "deleteAttributeOption",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::BodyField {
                json: "attributes",
                var: "values",
                default: Default::None,
            },
        ],
        family: Family::Customer,
        response_schema: "Product",
        omit_null: PRODUCT_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Put,
            "/api/v1/admin/products/{id}/attributes",
            "Set a product's attribute values, type-checked, one per attribute (products.update)",
            AuthRule::Staff,
            op!(
                "admin_product_attributes_set.graphql",
                "product_detail.graphql"
            ),
            "RestAdminSetProductAttributes",
            "setProductAttributes",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::PathUuid {
                param: "attrId",
                var: "attributeId",
            },
        ],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/products/{id}/attributes/{attrId}",
            "Remove a product's value of an attribute (products.update)",
            AuthRule::Staff,
            op!("admin_product_attributes_delete.graphql"),
            "RestAdminDeleteProductAttribute",
            "deleteProductAttribute",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::PathUuid {
                param: "variantId",
                var: "variantId",
            },
            Var::BodyField {
                json: "attributes",
                var: "values",
                default: Default::None,
            },
        ],
        family: Family::Customer,
        response_schema: "Variant",
        omit_null: VARIANT_ATTRIBUTES_OPTIONAL,
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Put,
            "/api/v1/admin/products/{id}/variants/{variantId}/attributes",
            "Set a variant's attribute values, type-checked, one per attribute (products.update)",
            AuthRule::Staff,
            op!(
                "admin_variant_attributes_set.graphql",
                "variant_entity.graphql"
            ),
            "RestAdminSetVariantAttributes",
            "setVariantAttributes",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "productId",
            },
            Var::PathUuid {
                param: "variantId",
                var: "variantId",
            },
            Var::PathUuid {
                param: "attrId",
                var: "attributeId",
            },
        ],
        status: 204,
        family: Family::Customer,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/products/{id}/variants/{variantId}/attributes/{attrId}",
            "Remove a variant's value of an attribute (products.update)",
            AuthRule::Staff,
            op!("admin_variant_attributes_delete.graphql"),
            "RestAdminDeleteVariantAttribute",
            "deleteVariantAttribute",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "TaxRule",
        ..row(
            Verb::Get,
            "/api/v1/admin/tax-rules/{id}",
            "A tax rule (tax.read)",
            AuthRule::Staff,
            op!("admin_tax_rule_get.graphql", "tax_rule.graphql"),
            "RestAdminTaxRule",
            "taxRule",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: &["name", "rate", "country_code", "type"],
            },
        ],
        response_schema: "TaxRule",
        ..row(
            Verb::Put,
            "/api/v1/admin/tax-rules/{id}",
            "Replace a tax rule (tax.update)",
            AuthRule::Staff,
            op!("admin_tax_rule_update.graphql", "tax_rule.graphql"),
            "RestAdminUpdateTaxRule",
            "updateTaxRule",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/tax-rules/{id}",
            "Delete a tax rule (tax.delete)",
            AuthRule::Staff,
            op!("admin_tax_rule_delete.graphql"),
            "RestAdminDeleteTaxRule",
            "deleteTaxRule",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "Warehouse",
        ..row(
            Verb::Get,
            "/api/v1/admin/warehouses/{id}",
            "A warehouse (products.read)",
            AuthRule::Staff,
            op!("admin_warehouse_get.graphql", "warehouse.graphql"),
            "RestAdminWarehouse",
            "warehouse",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: &["name", "code", "priority", "active", "allow_negative_stock"],
            },
        ],
        response_schema: "Warehouse",
        errors: &[err(
            "CONFLICT",
            409,
            "duplicate_code",
            Some("a warehouse with this code already exists"),
        )],
        ..row(
            Verb::Put,
            "/api/v1/admin/warehouses/{id}",
            "Replace a warehouse (products.update)",
            AuthRule::Staff,
            op!("admin_warehouse_update.graphql", "warehouse.graphql"),
            "RestAdminUpdateWarehouse",
            "updateWarehouse",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/warehouses/{id}",
            "Delete an empty warehouse (products.delete)",
            AuthRule::Staff,
            op!("admin_warehouse_delete.graphql"),
            "RestAdminDeleteWarehouse",
            "deleteWarehouse",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "warehouseId",
        }],
        response_schema: "StockEntryList",
        omit_null: &["variant_id", "product_sku", "product_name", "variant_sku"],
        ..row(
            Verb::Get,
            "/api/v1/admin/warehouses/{id}/stock",
            "A warehouse's stock rows (products.read)",
            AuthRule::Staff,
            op!("admin_warehouse_stock_get.graphql", "stock_entry.graphql"),
            "RestAdminWarehouseStock",
            "warehouseStock",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "warehouseId",
            },
            Var::PathUuid {
                param: "stockID",
                var: "stockId",
            },
        ],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/warehouses/{id}/stock/{stockID}",
            "Remove a stock row (products.update)",
            AuthRule::Staff,
            op!("admin_warehouse_stock_delete.graphql"),
            "RestAdminRemoveStock",
            "removeWarehouseStock",
        )
    },
    Route {
        vars: &[
            Var::Query {
                name: "q",
                var: "q",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "locale",
                var: "locale",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
        ],
        family: Family::Settings,
        envelope: Envelope::Page,
        bucket: Some(Bucket::Search),
        response_schema: "SearchResults",
        omit_null: &["description", "slug"],
        errors: &[
            err(
                "VALIDATION_ERROR",
                400,
                "missing_query",
                Some("query parameter 'q' is required"),
            ),
            err(
                "GRAPHQL_VALIDATION_FAILED",
                400,
                "missing_query",
                Some("query parameter 'q' is required"),
            ),
        ],
        ..row(
            Verb::Get,
            "/api/v1/store/search",
            "Full-text search (ranked) in one locale",
            AuthRule::Optional,
            op!("store_search.graphql"),
            "RestStoreSearch",
            "search",
        )
    },
    // --- admin: discounts (reference §2.2, §3.8) --------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "type",
                var: "type",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "code",
                var: "code",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "active",
                var: "active",
                kind: QueryKind::Bool,
            },
        ],
        envelope: Envelope::List,
        response_schema: "DiscountPage",
        omit_null: DISCOUNT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/discounts",
            "Discounts, newest first (discounts.read)",
            AuthRule::Staff,
            op!("admin_discounts_list.graphql", "discount.graphql"),
            "RestAdminDiscounts",
            "discounts",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: DISCOUNT_FIELDS,
        }],
        status: 201,
        response_schema: "Discount",
        omit_null: DISCOUNT_OPTIONAL,
        errors: DISCOUNT_CODE_TAKEN,
        ..row(
            Verb::Post,
            "/api/v1/admin/discounts",
            "Create a discount (discounts.create)",
            AuthRule::Staff,
            op!("admin_discount_create.graphql", "discount.graphql"),
            "RestAdminCreateDiscount",
            "createDiscount",
        )
    },
    Route {
        vars: &[
            Var::BodyField {
                json: "code",
                var: "code",
                default: Default::EmptyString,
            },
            Var::BodyField {
                json: "order_total",
                var: "orderTotal",
                default: Default::None,
            },
        ],
        response_schema: "DiscountValidation",
        omit_null: DISCOUNT_OPTIONAL,
        errors: DISCOUNT_REFUSALS,
        ..row(
            Verb::Post,
            "/api/v1/admin/discounts/validate",
            "Check a code against an order total: the discount and its amount (discounts.read)",
            AuthRule::Staff,
            op!("admin_discount_validate.graphql"),
            "RestAdminValidateDiscount",
            "validateDiscount",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "Discount",
        omit_null: DISCOUNT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/discounts/{id}",
            "A discount (discounts.read)",
            AuthRule::Staff,
            op!("admin_discount_get.graphql", "discount.graphql"),
            "RestAdminDiscount",
            "discount",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: DISCOUNT_FIELDS,
            },
        ],
        response_schema: "Discount",
        omit_null: DISCOUNT_OPTIONAL,
        errors: DISCOUNT_CODE_TAKEN,
        ..row(
            Verb::Put,
            "/api/v1/admin/discounts/{id}",
            "Change a discount; absent fields stay (discounts.update)",
            AuthRule::Staff,
            op!("admin_discount_update.graphql", "discount.graphql"),
            "RestAdminUpdateDiscount",
            "updateDiscount",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: &[err("CONFLICT", 409, "conflict", None)],
        ..row(
            Verb::Delete,
            "/api/v1/admin/discounts/{id}",
            "Delete a discount no order used (discounts.delete)",
            AuthRule::Staff,
            op!("admin_discount_delete.graphql"),
            "RestAdminDeleteDiscount",
            "deleteDiscount",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: DISCOUNT_REFUSALS,
        ..row(
            Verb::Post,
            "/api/v1/admin/discounts/{id}/apply",
            "Redeem a discount once, atomically within max_uses (discounts.update)",
            AuthRule::Staff,
            op!("admin_discount_apply.graphql"),
            "RestAdminApplyDiscount",
            "applyDiscount",
        )
    },
    // --- admin: media ---------------------------------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "mime_type",
                var: "mimeType",
                kind: QueryKind::Str,
            },
        ],
        envelope: Envelope::List,
        response_schema: "MediaList",
        ..row(
            Verb::Get,
            "/api/v1/admin/media",
            "Uploaded media, newest first (media.read)",
            AuthRule::Staff,
            op!("admin_media_list.graphql", "media.graphql"),
            "RestAdminMedia",
            "media",
        )
    },
    Route {
        vars: &[
            Var::File {
                field: "file",
                var: "file",
            },
            Var::FormField {
                field: "alt_text",
                var: "altText",
            },
        ],
        status: 201,
        response_schema: "Media",
        errors: &[
            err(
                "UNSUPPORTED_MEDIA_TYPE",
                415,
                "unsupported_media_type",
                None,
            ),
            err(
                "MISSING_FILE",
                400,
                "missing_file",
                Some("file field is required"),
            ),
        ],
        ..row(
            Verb::Post,
            "/api/v1/admin/media",
            "Upload a file: multipart `file`, optional `alt_text` (media.create)",
            AuthRule::Staff,
            op!("admin_media_upload.graphql", "media.graphql"),
            "RestAdminUploadMedia",
            "uploadMedia",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "Media",
        ..row(
            Verb::Get,
            "/api/v1/admin/media/{id}",
            "A media file (media.read)",
            AuthRule::Staff,
            op!("admin_media_get.graphql", "media.graphql"),
            "RestAdminMediaItem",
            "mediaItem",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        envelope: Envelope::NoContent,
        status: 204,
        response_schema: "NoContent",
        ..row(
            Verb::Delete,
            "/api/v1/admin/media/{id}",
            "Delete a media file and its stored object (media.delete)",
            AuthRule::Staff,
            op!("admin_media_delete.graphql"),
            "RestAdminDeleteMedia",
            "deleteMedia",
        )
    },
    // --- shipping and payment methods ----------------------------------------------
    Route {
        vars: PAGE_ACTIVE,
        envelope: Envelope::List,
        response_schema: "ShippingMethodList",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/shipping-methods",
            "Shipping methods by gross price (shipping.read)",
            AuthRule::Staff,
            op!(
                "admin_shipping_methods_list.graphql",
                "shipping_method.graphql"
            ),
            "RestAdminShippingMethods",
            "shippingMethods",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: SHIPPING_FIELDS,
        }],
        status: 201,
        response_schema: "ShippingMethod",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/admin/shipping-methods",
            "Create a shipping method (shipping.create)",
            AuthRule::Staff,
            op!(
                "admin_shipping_method_create.graphql",
                "shipping_method.graphql"
            ),
            "RestAdminCreateShippingMethod",
            "createShippingMethod",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "ShippingMethod",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/shipping-methods/{id}",
            "A shipping method (shipping.read)",
            AuthRule::Staff,
            op!(
                "admin_shipping_method_get.graphql",
                "shipping_method.graphql"
            ),
            "RestAdminShippingMethod",
            "shippingMethod",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: SHIPPING_FIELDS,
            },
        ],
        response_schema: "ShippingMethod",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Put,
            "/api/v1/admin/shipping-methods/{id}",
            "Update a shipping method; absent fields stay (shipping.update)",
            AuthRule::Staff,
            op!(
                "admin_shipping_method_update.graphql",
                "shipping_method.graphql"
            ),
            "RestAdminUpdateShippingMethod",
            "updateShippingMethod",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: IN_USE,
        ..row(
            Verb::Delete,
            "/api/v1/admin/shipping-methods/{id}",
            "Delete a shipping method; 409 while orders use it (shipping.delete)",
            AuthRule::Staff,
            op!("admin_shipping_method_delete.graphql"),
            "RestAdminDeleteShippingMethod",
            "deleteShippingMethod",
        )
    },
    Route {
        vars: PAGE_ACTIVE,
        envelope: Envelope::List,
        response_schema: "PaymentMethodList",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/payment-methods",
            "Payment methods by creation time, without their configuration (payment.read)",
            AuthRule::Staff,
            op!(
                "admin_payment_methods_list.graphql",
                "payment_method.graphql"
            ),
            "RestAdminPaymentMethods",
            "paymentMethods",
        )
    },
    Route {
        vars: &[Var::BodyInput {
            var: "input",
            fields: PAYMENT_FIELDS,
        }],
        status: 201,
        response_schema: "PaymentMethod",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Post,
            "/api/v1/admin/payment-methods",
            "Create a payment method; `config` is stored encrypted (payment.create)",
            AuthRule::Staff,
            op!(
                "admin_payment_method_create.graphql",
                "payment_method.graphql"
            ),
            "RestAdminCreatePaymentMethod",
            "createPaymentMethod",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "PaymentMethod",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/payment-methods/{id}",
            "A payment method, without its configuration (payment.read)",
            AuthRule::Staff,
            op!("admin_payment_method_get.graphql", "payment_method.graphql"),
            "RestAdminPaymentMethod",
            "paymentMethod",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyInput {
                var: "input",
                fields: PAYMENT_FIELDS,
            },
        ],
        response_schema: "PaymentMethod",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Put,
            "/api/v1/admin/payment-methods/{id}",
            "Update a payment method; absent fields stay (payment.update)",
            AuthRule::Staff,
            op!(
                "admin_payment_method_update.graphql",
                "payment_method.graphql"
            ),
            "RestAdminUpdatePaymentMethod",
            "updatePaymentMethod",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        status: 204,
        envelope: Envelope::NoContent,
        response_schema: "NoContent",
        errors: IN_USE,
        ..row(
            Verb::Delete,
            "/api/v1/admin/payment-methods/{id}",
            "Delete a payment method; 409 while orders use it (payment.delete)",
            AuthRule::Staff,
            op!("admin_payment_method_delete.graphql"),
            "RestAdminDeletePaymentMethod",
            "deletePaymentMethod",
        )
    },
    Route {
        vars: PAGE,
        envelope: Envelope::List,
        response_schema: "ShippingMethodList",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/shipping-methods",
            "Active shipping methods by gross price",
            AuthRule::Optional,
            op!("store_shipping_methods.graphql", "shipping_method.graphql"),
            "RestStoreShippingMethods",
            "storeShippingMethods",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "ShippingMethod",
        omit_null: SHIPPING_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/shipping-methods/{id}",
            "An active shipping method",
            AuthRule::Optional,
            op!(
                "store_shipping_method_get.graphql",
                "shipping_method.graphql"
            ),
            "RestStoreShippingMethod",
            "storeShippingMethod",
        )
    },
    Route {
        vars: PAGE,
        envelope: Envelope::List,
        response_schema: "PaymentMethodList",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/payment-methods",
            "Active payment methods by creation time",
            AuthRule::Optional,
            op!("store_payment_methods.graphql", "payment_method.graphql"),
            "RestStorePaymentMethods",
            "storePaymentMethods",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        response_schema: "PaymentMethod",
        omit_null: PAYMENT_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/payment-methods/{id}",
            "An active payment method",
            AuthRule::Optional,
            op!("store_payment_method_get.graphql", "payment_method.graphql"),
            "RestStorePaymentMethod",
            "storePaymentMethod",
        )
    },
    // --- orders (admin and store) ------------------------------------------------------
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "status",
                var: "status",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "customer_id",
                var: "customerId",
                kind: QueryKind::Uuid,
            },
            Var::Query {
                name: "search",
                var: "search",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "sort",
                var: "sort",
                kind: QueryKind::Enum(&["created_at", "total", "status", "order_number"]),
            },
            Var::Query {
                name: "order",
                var: "order",
                kind: QueryKind::Order,
            },
        ],
        envelope: Envelope::List,
        family: Family::Customer,
        response_schema: "OrderList",
        omit_null: ORDER_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/orders",
            "Orders without items, newest first (orders.read)",
            AuthRule::Staff,
            op!("admin_orders_list.graphql", "order.graphql"),
            "RestAdminOrders",
            "orders",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "id",
            var: "id",
        }],
        family: Family::Customer,
        response_schema: "Order",
        omit_null: ORDER_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/admin/orders/{id}",
            "An order with items, status history and guest token (orders.read)",
            AuthRule::Staff,
            op!(
                "admin_order_get.graphql",
                "order.graphql",
                "order_item.graphql",
                "order_status_history.graphql"
            ),
            "RestAdminOrder",
            "order",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "id",
                var: "id",
            },
            Var::BodyField {
                json: "status",
                var: "status",
                default: Default::None,
            },
            Var::BodyField {
                json: "comment",
                var: "comment",
                default: Default::None,
            },
        ],
        family: Family::Customer,
        response_schema: "Order",
        omit_null: ORDER_OPTIONAL,
        errors: ORDER_STATUS_ERRORS,
        ..row(
            Verb::Put,
            "/api/v1/admin/orders/{id}/status",
            "Move an order along the status machine; cancel/refund give stock back (orders.update)",
            AuthRule::Staff,
            op!(
                "admin_order_status_update.graphql",
                "order.graphql",
                "order_item.graphql",
                "order_status_history.graphql"
            ),
            "RestAdminUpdateOrderStatus",
            "updateOrderStatus",
        )
    },
    Route {
        vars: &[Var::PathUuid {
            param: "orderID",
            var: "orderId",
        }],
        envelope: Envelope::List,
        family: Family::Customer,
        response_schema: "PaymentTransactionList",
        ..row(
            Verb::Get,
            "/api/v1/admin/orders/{orderID}/transactions",
            "An order's payment transactions (payment.read)",
            AuthRule::Staff,
            op!(
                "admin_order_transactions.graphql",
                "payment_transaction.graphql"
            ),
            "RestAdminOrderTransactions",
            "orderTransactions",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "orderID",
                var: "orderId",
            },
            Var::BodyField {
                json: "amount",
                var: "amount",
                default: Default::None,
            },
            Var::BodyField {
                json: "status",
                var: "status",
                default: Default::None,
            },
            Var::BodyField {
                json: "currency",
                var: "currency",
                default: Default::None,
            },
            Var::BodyField {
                json: "provider_reference",
                var: "providerReference",
                default: Default::None,
            },
            Var::BodyField {
                json: "payment_method_id",
                var: "paymentMethodId",
                default: Default::None,
            },
        ],
        status: 201,
        response_schema: "PaymentTransaction",
        ..row(
            Verb::Post,
            "/api/v1/admin/orders/{orderID}/transactions",
            "Record a payment of an order, e.g. a bank transfer (orders.update; an extension)",
            AuthRule::Staff,
            op!(
                "admin_order_transaction_create.graphql",
                "payment_transaction.graphql"
            ),
            "RestAdminRecordPayment",
            "recordPayment",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "orderID",
                var: "orderId",
            },
            Var::PathUuid {
                param: "txID",
                var: "transactionId",
            },
            Var::BodyField {
                json: "status",
                var: "status",
                default: Default::None,
            },
        ],
        response_schema: "PaymentTransaction",
        ..row(
            Verb::Put,
            "/api/v1/admin/orders/{orderID}/transactions/{txID}/status",
            "Move a payment transaction along its status machine (orders.update; an extension)",
            AuthRule::Staff,
            op!(
                "admin_order_transaction_status.graphql",
                "payment_transaction.graphql"
            ),
            "RestAdminSetPaymentStatus",
            "setPaymentStatus",
        )
    },
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
        ],
        envelope: Envelope::List,
        family: Family::Customer,
        response_schema: "StoreOrderList",
        omit_null: ORDER_OPTIONAL,
        ..row(
            Verb::Get,
            "/api/v1/store/account/orders",
            "The signed-in customer's orders with items, newest first, paginated",
            AuthRule::Customer,
            op!(
                "store_account_orders.graphql",
                "order.graphql",
                "order_item.graphql"
            ),
            "RestStoreAccountOrders",
            "myOrders",
        )
    },
    Route {
        vars: &[
            Var::BodyInput {
                var: "input",
                fields: CHECKOUT_FIELDS,
            },
            Var::Header {
                name: "idempotency-key",
                var: "idempotencyKey",
            },
        ],
        status: 201,
        envelope: Envelope::Converted(checkout::store_order),
        family: Family::Customer,
        bucket: Some(Bucket::Checkout),
        response_schema: "StoreOrder",
        omit_null: ORDER_OPTIONAL,
        errors: CHECKOUT_ERRORS,
        set_cookie: Some(checkout::GUEST_COOKIE),
        ..row(
            Verb::Post,
            "/api/v1/store/checkout",
            "Place an order from items or a cart (prices, tax and shipping from the server; \
             Idempotency-Key retries return the first order; guests get the stoa_guest_token \
             cookie)",
            AuthRule::Optional,
            op!("store_checkout.graphql", "order_item.graphql"),
            "RestCheckout",
            "checkout",
        )
    },
    Route {
        vars: &[
            Var::PathUuid {
                param: "orderID",
                var: "orderId",
            },
            Var::Query {
                name: "guest_token",
                var: "guestToken",
                kind: QueryKind::Str,
            },
            Var::Cookie {
                name: "stoa_guest_token",
                var: "guestToken",
            },
        ],
        envelope: Envelope::List,
        family: Family::Customer,
        bucket: Some(Bucket::GuestOrder),
        response_schema: "PaymentTransactionList",
        ..row(
            Verb::Get,
            "/api/v1/store/orders/{orderID}/transactions",
            "An order's payment transactions: its signed-in owner, or the guest token (cookie `stoa_guest_token` or `?guest_token=`)",
            AuthRule::Optional,
            op!(
                "store_order_transactions.graphql",
                "payment_transaction.graphql"
            ),
            "RestStoreOrderTransactions",
            "storeOrderTransactions",
        )
    },
    Route {
        vars: &[
            Var::Query {
                name: "page",
                var: "page",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "limit",
                var: "limit",
                kind: QueryKind::Int,
            },
            Var::Query {
                name: "entity_type",
                var: "entityType",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "action",
                var: "action",
                kind: QueryKind::Str,
            },
            Var::Query {
                name: "user_id",
                var: "userId",
                kind: QueryKind::UuidOr400("invalid_user_id"),
            },
            Var::Query {
                name: "entity_id",
                var: "entityId",
                kind: QueryKind::UuidOr400("invalid_entity_id"),
            },
            Var::Query {
                name: "channel",
                var: "channel",
                kind: QueryKind::Str,
            },
        ],
        envelope: Envelope::List,
        family: Family::Settings,
        response_schema: "AuditPage",
        omit_null: &["user_id", "entity_id", "ip_address"],
        ..row(
            Verb::Get,
            "/api/v1/admin/audit-log",
            "Audit entries, newest first: who (user, key, agent via MCP), what, the changed fields, from where (audit.read)",
            AuthRule::Staff,
            op!("admin_audit_log.graphql"),
            "RestAdminAuditLog",
            "auditLog",
        )
    },
];

// --- shipping and payment methods: shared row parts -----------------------------------

const PAGE: &[Var] = &[
    Var::Query {
        name: "page",
        var: "page",
        kind: QueryKind::Int,
    },
    Var::Query {
        name: "limit",
        var: "limit",
        kind: QueryKind::Int,
    },
];
const PAGE_ACTIVE: &[Var] = &[
    Var::Query {
        name: "page",
        var: "page",
        kind: QueryKind::Int,
    },
    Var::Query {
        name: "limit",
        var: "limit",
        kind: QueryKind::Int,
    },
    Var::Query {
        name: "active",
        var: "active",
        kind: QueryKind::Bool,
    },
];
const SHIPPING_FIELDS: &[&str] = &[
    "active",
    "price_net",
    "price_gross",
    "tax_rule_id",
    "custom_fields",
    "translations",
];
const SHIPPING_OPTIONAL: &[&str] = &["tax_rule_id", "custom_fields", "translations"];
const PAYMENT_FIELDS: &[&str] = &[
    "provider",
    "active",
    "config",
    "custom_fields",
    "translations",
];
const PAYMENT_OPTIONAL: &[&str] = &["custom_fields", "translations"];
const IN_USE: &[ErrorOverride] = &[err("CONFLICT", 409, "in_use", None)];

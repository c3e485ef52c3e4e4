//! The tool tables of the two servers. Adding a tool is adding an operation file under
//! `schema/operations/mcp/` and a row here; schemas, conversion and output are derived.

use crate::operation;
use crate::table::{
    Hints, Operation, ServerKind, SessionEffect, ToolRow, bind, fill, spread, translations,
};

const READ: Hints = Hints::ReadOnly;
/// Creates something new; repeating it creates (or tries to create) another.
const ADD: Hints = Hints::Write {
    destructive: false,
    idempotent: false,
};
/// Overwrites existing values; repeating it with the same arguments changes nothing more.
const OVERWRITE: Hints = Hints::Write {
    destructive: true,
    idempotent: true,
};

/// Removes something; repeating it finds nothing to remove.
const REMOVE: Hints = Hints::Write {
    destructive: true,
    idempotent: false,
};

/// The discount tools' aliases for the reference tools' argument names (which its API
/// ignored), then the input's own fields.
const DISCOUNT_ALIASES_AND_INPUT: &[crate::table::Arg] = &[
    fill("amount", &["input.value"]).doc("Alias of `value`."),
    fill("min_order_amount", &["input.minOrderValue"]).doc("Alias of `min_order_value`."),
    fill("starts_at", &["input.validFrom"]).doc("Alias of `valid_from`."),
    fill("expires_at", &["input.validUntil"]).doc("Alias of `valid_until`."),
    spread("input"),
];

/// The store server (`/mcp/store`, `stoa mcp store --stdio`).
pub static STORE: &[ToolRow] = &[
    ToolRow {
        name: "store_register",
        description: "Register a new customer account. Sign in afterwards with store_login.",
        operation: operation!("mcp/store/register.graphql"),
        args: &[
            bind("email", "input.email"),
            bind("password", "input.password").doc("The password, 8 to 128 characters."),
            bind("first_name", "input.firstName").doc("The customer's first name."),
            bind("last_name", "input.lastName").doc("The customer's last name."),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_login",
        description: "Login with email and password. On success this MCP session is signed in as \
                      the customer: later tools in the same session act as them (the tokens are \
                      kept by the server, not shown).",
        operation: operation!("mcp/store/login.graphql"),
        args: &[bind("email", "email"), bind("password", "password")],
        hints: ADD,
        session: SessionEffect::SignIn {
            access_token: "accessToken",
            refresh_token: "refreshToken",
            refresh: operation!("mcp/store/refresh_session.graphql"),
        },
    },
    ToolRow {
        name: "store_logout",
        description: "Sign this MCP session out: revokes its tokens; later tools act as a guest.",
        operation: operation!("mcp/store/logout.graphql"),
        args: &[],
        hints: OVERWRITE,
        session: SessionEffect::SignOut {
            refresh_token_var: "refreshToken",
        },
    },
    ToolRow {
        name: "store_get_account",
        description: "Get the current customer's account details. Requires authentication \
                      (store_login in this session, or a customer API key).",
        operation: operation!("mcp/store/get_account.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_update_account",
        description: "Update the current customer's name, email or password. Only pass fields \
                      you want to change. Requires authentication.",
        operation: operation!("mcp/store/update_account.graphql"),
        args: &[spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_list_addresses",
        description: "List the current customer's saved addresses (for checkout). Requires \
                      authentication.",
        operation: operation!("mcp/store/list_addresses.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_add_address",
        description: "Save a new address in the current customer's address book: first and \
                      last name, street, city, zip and a two-letter country code are required. \
                      Requires authentication.",
        operation: operation!("mcp/store/add_address.graphql"),
        args: &[spread("input")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_settings",
        description: "Get the public store settings: name, description, currency, country, \
                      timezone, contact email, maintenance mode.",
        operation: operation!("mcp/store/get_settings.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_list_products",
        description: "List products in the store with optional filtering and pagination. Prices \
                      are in cents (minor units).",
        operation: operation!("mcp/store/list_products.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Products per page, 1 to 100."),
            bind("search", "search").doc("Full-text search in any locale."),
            bind("category_id", "categoryId")
                .doc("Only products in this category or its descendants."),
            bind("sort", "sort"),
            bind("order", "order"),
            bind("locale", "locale").doc("Locale of names (e.g. de-DE, en-US)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_product",
        description: "Get detailed information about a product by its slug or ID (one of them is \
                      required), with variants and their options.",
        operation: operation!("mcp/store/get_product.graphql"),
        args: &[
            bind("id", "id").doc("The product id."),
            bind("slug", "slug").doc("The product slug, in any locale."),
            bind("locale", "locale").doc("Locale of names (e.g. de-DE, en-US)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_search",
        description: "Full-text search across products, ranked, with facet counts for filterable \
                      attributes (pass facet option ids in filter.options to narrow down).",
        operation: operation!("mcp/store/search.graphql"),
        args: &[
            bind("q", "q").doc("What to search for."),
            bind("locale", "locale").doc("Locale to search in (e.g. de-DE, en-US)."),
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Hits per page, 1 to 100."),
            bind("filter", "filter"),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_categories",
        description: "Get the full category tree of the store.",
        operation: operation!("mcp/store/get_categories.graphql"),
        args: &[bind("locale", "locale").doc("Locale of names (e.g. de-DE, en-US).")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_create_cart",
        description: "Create a new shopping cart. Returns a cart ID that must be used for all \
                      subsequent cart operations. Signed in, the cart is the customer's; as a \
                      guest it belongs to this MCP session.",
        operation: operation!("mcp/store/create_cart.graphql"),
        args: &[bind("currency", "currency")
            .doc("ISO 4217 code of the cart (default: the store's currency).")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_cart",
        description: "Get the current contents and totals of a shopping cart: lines with \
                      names, SKUs and prices, subtotal, discount, shipping estimate (cheapest \
                      method), tax and total, in cents.",
        operation: operation!("mcp/store/get_cart.graphql"),
        args: &[
            bind("cart_id", "cartId").doc("The cart id (from store_create_cart)."),
            bind("locale", "locale").doc("Locale of product names (e.g. de-DE, en-US)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_add_to_cart",
        description: "Add a product to the shopping cart. Use product_id (required). For \
                      products with variants, also provide variant_id. Adding a line that is \
                      already in the cart adds to its quantity.",
        operation: operation!("mcp/store/add_to_cart.graphql"),
        args: &[
            bind("cart_id", "cartId").doc("The cart id (from store_create_cart)."),
            bind("product_id", "input.productId").doc("The product id."),
            bind("variant_id", "input.variantId")
                .doc("The variant id; required for products with variants."),
            bind("quantity", "input.quantity").doc("Units to add (default: 1)."),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_update_cart_item",
        description: "Update the quantity of an item in the cart.",
        operation: operation!("mcp/store/update_cart_item.graphql"),
        args: &[
            bind("cart_id", "cartId").doc("The cart id."),
            bind("item_id", "itemId").doc("The cart item id (items[].id of the cart)."),
            bind("quantity", "quantity").doc("The new quantity (more than 0)."),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_remove_from_cart",
        description: "Remove an item from the shopping cart.",
        operation: operation!("mcp/store/remove_from_cart.graphql"),
        args: &[
            bind("cart_id", "cartId").doc("The cart id."),
            bind("item_id", "itemId").doc("The cart item id (items[].id of the cart)."),
        ],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_shipping_methods",
        description: "List available shipping methods with prices (in cents: 399 = 3.99), \
                      cheapest first. Pass a method's id as shipping_method_id at checkout.",
        operation: operation!("mcp/store/get_shipping_methods.graphql"),
        args: &[bind("locale", "locale").doc("Locale of names (e.g. de-DE, en-US).")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_get_payment_methods",
        description: "List available payment methods. A manual method (is_manual, e.g. bank \
                      transfer) checks out without a payment reference; a provider method \
                      needs one from that provider.",
        operation: operation!("mcp/store/get_payment_methods.graphql"),
        args: &[bind("locale", "locale").doc("Locale of names (e.g. de-DE, en-US).")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_checkout",
        description: "Complete a checkout: turns the cart into an order. Prices, tax and \
                      shipping come from the server (in cents); stock is taken and the cart is \
                      consumed. A manual payment method (is_manual) needs no payment_reference; \
                      a provider method does. As a guest the result carries guestToken (keep \
                      it to look the order up). Pass the same idempotency_key when retrying: \
                      a retry returns the first order instead of placing another.",
        operation: operation!("mcp/store/checkout.graphql"),
        args: &[
            bind("cart_id", "input.cartId").doc("The cart id (from store_create_cart)."),
            bind("shipping_method_id", "input.shippingMethodId")
                .doc("A shipping method id (from store_get_shipping_methods)."),
            bind("payment_method_id", "input.paymentMethodId")
                .doc("A payment method id (from store_get_payment_methods)."),
            fill(
                "shipping_address",
                &["input.shippingAddress", "input.billingAddress"],
            )
            .doc("The shipping address: first_name, last_name, street, city, zip, country_code."),
            bind("billing_address", "input.billingAddress")
                .doc("The billing address (default: the shipping address)."),
            bind("email", "input.email").doc("The buyer's email (stored with the addresses)."),
            bind("payment_reference", "input.paymentReference")
                .doc("The payment provider's reference; not needed for manual methods."),
            bind("discount_code", "input.discountCode")
                .doc("A discount code (default: the cart's code, when it still applies)."),
            bind("notes", "input.notes").doc("A note for the shop."),
            bind("idempotency_key", "idempotencyKey")
                .doc("Any unique string for this attempt; retries with it return the same order."),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "store_list_orders",
        description: "List the current customer's orders with their lines, newest first. \
                      Requires authentication (store_login in this session, or a customer \
                      API key).",
        operation: operation!("mcp/store/list_orders.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Orders per page, 1 to 100."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
];

/// The admin server (`/mcp/admin`, `stoa mcp admin --stdio`).
pub static ADMIN: &[ToolRow] = &[
    ToolRow {
        name: "admin_list_audit_log",
        description: "List audit log entries showing all changes made to the shop, newest first.",
        operation: operation!("mcp/admin/list_audit_log.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page."),
            bind("entity_type", "entityType")
                .doc("Only entries about this entity type (e.g. `settings`, `api_key`)."),
            bind("action", "action").doc("Only this action (`create`, `update`, `delete`, …)."),
            bind("user_id", "userId").doc("Only changes by this user or key."),
            bind("entity_id", "entityId").doc("Only changes of this entity."),
            bind("channel", "channel")
                .doc("Only changes through `graphql`, `rest` or `mcp` (agents)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_settings",
        description: "Get the store settings.",
        operation: operation!("mcp/admin/get_settings.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_settings",
        description: "Update the store settings. Only pass fields you want to change.",
        operation: operation!("mcp/admin/update_settings.graphql"),
        args: &[spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_customers",
        description: "List all customers, newest first, with pagination and search.",
        operation: operation!("mcp/admin/list_customers.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Customers per page, 1 to 100."),
            bind("search", "search")
                .doc("Only customers whose first name, last name or email contains this."),
            bind("active", "active").doc("Only active (true) or inactive (false) customers."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_customer",
        description: "Get customer details, with their addresses and default address ids.",
        operation: operation!("mcp/admin/get_customer.graphql"),
        args: &[bind("id", "id").doc("The customer id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_customer",
        description: "Create a customer account (email, password of 8 to 128 characters, first \
                      and last name).",
        operation: operation!("mcp/admin/create_customer.graphql"),
        args: &[spread("input")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_customer",
        description: "Update customer information. Only pass fields you want to change; default \
                      address ids must be addresses of this customer.",
        operation: operation!("mcp/admin/update_customer.graphql"),
        args: &[bind("id", "id").doc("The customer id."), spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_customer",
        description: "Delete a customer with their addresses; their orders stay, without \
                      customer.",
        operation: operation!("mcp/admin/delete_customer.graphql"),
        args: &[bind("id", "id").doc("The customer id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_products",
        description: "List all products with pagination, filtering, and search.",
        operation: operation!("mcp/admin/list_products.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Products per page, 1 to 100."),
            bind("search", "search").doc("Full-text search in any locale."),
            bind("active", "active").doc("Only active (true) or inactive (false) products."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_product",
        description: "Get detailed product information including variants and translations.",
        operation: operation!("mcp/admin/get_product.graphql"),
        args: &[bind("id", "id").doc("The product id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_product",
        description: "Delete a product permanently (with its variants, translations and stock).",
        operation: operation!("mcp/admin/delete_product.graphql"),
        args: &[bind("id", "id").doc("The product id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_product",
        description: "Create a new product. Prices are in cents (minor units: 1999 = 19.99 EUR); \
                      `price` sets net and gross alike. Give `name` and `slug` (and \
                      `description`) for one translation in the store's default locale, or \
                      `translations` for several locales. Currency defaults to EUR.",
        operation: operation!("mcp/admin/create_product.graphql"),
        args: &[
            translations("input.translations", &["name", "slug", "description"]).required(),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_product",
        description: "Update an existing product. Only pass fields you want to change; the \
                      others stay (the currency too). `translations` (or `name` + `slug` + \
                      `description`, one translation in the default locale) replace all \
                      translations; `category_ids`, `tag_ids` and `media_ids` replace their \
                      lists. Prices are in cents.",
        operation: operation!("mcp/admin/update_product.graphql"),
        args: &[
            bind("id", "id").doc("The product id."),
            translations("input.translations", &["name", "slug", "description"]),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_variant",
        description: "Create a product variant (e.g. a size/color combination) from property \
                      option ids. Prices are in cents; without a price the product's applies.",
        operation: operation!("mcp/admin/create_variant.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_variant",
        description: "Replace a product variant (full replace, not partial): sku, prices, active \
                      and option_ids are set to what is given, omitted ones are reset (no SKU, \
                      the product's price, active, no options); stock changes only when given.",
        operation: operation!("mcp/admin/update_variant.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            bind("variant_id", "variantId").doc("The variant id."),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_generate_variants",
        description: "Generate a product's variants: one per combination of the given option \
                      lists (one list of property option ids per property group), skipping \
                      combinations that exist. SKUs are `<product sku>-<option codes>`.",
        operation: operation!("mcp/admin/generate_variants.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            bind("option_groups", "optionGroups").doc(
                "One list of option ids per property group, e.g. [[\"<S>\", \"<M>\"], \
                 [\"<red>\", \"<blue>\"]] makes 4 variants.",
            ),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_tax_rule",
        description: "Create a tax rule. Rates are in basis points (1900 = 19%).",
        operation: operation!("mcp/admin/create_tax_rule.graphql"),
        args: &[spread("input")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_category",
        description: "Create a category. Give `name` and `slug` (and `description`) for one \
                      translation in the store's default locale, or `translations` for several \
                      locales.",
        operation: operation!("mcp/admin/create_category.graphql"),
        args: &[
            translations("input.translations", &["name", "slug", "description"]),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_category",
        description: "Replace a category (full replace, not partial): translations (or `name` + \
                      `slug`), parent, position, active and custom fields are set to what is \
                      given; omitted ones go back to their defaults (no parent = top level, \
                      position 0, active, no custom fields).",
        operation: operation!("mcp/admin/update_category.graphql"),
        args: &[
            bind("id", "id").doc("The category id."),
            translations("input.translations", &["name", "slug", "description"]),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_property_group",
        description: "Create a property group (e.g. Color, Size), optionally with its options. \
                      Give `name` for the store's default locale, or `translations`.",
        operation: operation!("mcp/admin/create_property_group.graphql"),
        args: &[
            translations("input.translations", &["name"]),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_property_group",
        description: "Replace a property group's identifier, position and names (full replace, \
                      not partial; its options stay). Give `name` for the store's default \
                      locale, or `translations`.",
        operation: operation!("mcp/admin/update_property_group.graphql"),
        args: &[
            bind("id", "id").doc("The property group id."),
            translations("input.translations", &["name"]),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_property_option",
        description: "Create a property option within a group (e.g. Red, L, XL). `code` is the \
                      short code used in generated SKUs. Give `name` for the store's default \
                      locale, or `translations`.",
        operation: operation!("mcp/admin/create_property_option.graphql"),
        args: &[
            bind("group_id", "groupId").doc("The property group id."),
            translations("input.translations", &["name"]),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_property_option",
        description: "Replace a property option (full replace, not partial): code, names, \
                      position and color are set to what is given, omitted ones are reset.",
        operation: operation!("mcp/admin/update_property_option.graphql"),
        args: &[
            bind("group_id", "groupId").doc("The property group id."),
            bind("option_id", "optionId").doc("The option id."),
            translations("input.translations", &["name"]),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_tag",
        description: "Get a tag by id.",
        operation: operation!("mcp/admin/get_tag.graphql"),
        args: &[bind("id", "id").doc("The tag id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_tax_rules",
        description: "List all tax rules. Rates are in basis points (1900 = 19%).",
        operation: operation!("mcp/admin/list_tax_rules.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_property_groups",
        description: "List all property groups (e.g. Color, Size) with their options.",
        operation: operation!("mcp/admin/list_property_groups.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_warehouses",
        description: "List all warehouses by priority, with pagination and an optional active filter.",
        operation: operation!("mcp/admin/list_warehouses.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Warehouses per page, 1 to 200."),
            bind("active", "active").doc("Only active (true) or inactive (false) warehouses."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_tags",
        description: "List all product tags by name.",
        operation: operation!("mcp/admin/list_tags.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page, 1 to 200."),
            bind("name", "name").doc("Only tags whose name contains this (case-insensitive)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_tag",
        description: "Create a new tag.",
        operation: operation!("mcp/admin/create_tag.graphql"),
        args: &[spread("input")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_tag",
        description: "Rename a tag (name and slug).",
        operation: operation!("mcp/admin/update_tag.graphql"),
        args: &[bind("id", "id").doc("The tag id."), spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_tag",
        description: "Delete a tag; products lose it.",
        operation: operation!("mcp/admin/delete_tag.graphql"),
        args: &[bind("id", "id").doc("The tag id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_categories",
        description: "List all categories, active or not, by position.",
        operation: operation!("mcp/admin/list_categories.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page, 1 to 200."),
            bind("parent_id", "parentId").doc("Only direct children of this category."),
            bind("active", "active").doc("Only active (true) or inactive (false) categories."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_category",
        description: "Get category details with every translation.",
        operation: operation!("mcp/admin/get_category.graphql"),
        args: &[bind("id", "id").doc("The category id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_category",
        description: "Delete a category; its children move up to its parent and products lose it.",
        operation: operation!("mcp/admin/delete_category.graphql"),
        args: &[bind("id", "id").doc("The category id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_property_group",
        description: "Get a property group with its options.",
        operation: operation!("mcp/admin/get_property_group.graphql"),
        args: &[bind("id", "id").doc("The property group id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_property_group",
        description: "Delete a property group and all its options (refused while a variant uses one).",
        operation: operation!("mcp/admin/delete_property_group.graphql"),
        args: &[bind("id", "id").doc("The property group id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_property_option",
        description: "Delete a property option (refused while a variant uses it).",
        operation: operation!("mcp/admin/delete_property_option.graphql"),
        args: &[
            bind("group_id", "groupId").doc("The property group id."),
            bind("option_id", "optionId").doc("The option id."),
        ],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_attributes",
        description: "List all attribute definitions (e.g. Brand, Material, Weight) with their options.",
        operation: operation!("mcp/admin/list_attributes.graphql"),
        args: &[],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_attribute",
        description: "Get an attribute definition with its options and translations.",
        operation: operation!("mcp/admin/get_attribute.graphql"),
        args: &[bind("id", "id").doc("The attribute id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_attribute",
        description: "Create a new attribute definition (e.g. Brand, Material, Weight). Give \
                      `name` (and `description`) for the store's default locale, or \
                      `translations`. `type` is text, number, select, multi_select or boolean; select and multi_select \
                      attributes get their choices with admin_create_attribute_option.",
        operation: operation!("mcp/admin/create_attribute.graphql"),
        args: &[
            translations("input.translations", &["name", "description"]).required(),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_attribute",
        description: "Update an attribute definition (replaces every field and translation; the \
                      type cannot change while products or variants have values of it).",
        operation: operation!("mcp/admin/update_attribute.graphql"),
        args: &[
            bind("id", "id").doc("The attribute id."),
            translations("input.translations", &["name", "description"]).required(),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_attribute",
        description: "Delete an attribute and all its options and values.",
        operation: operation!("mcp/admin/delete_attribute.graphql"),
        args: &[bind("id", "id").doc("The attribute id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_attribute_option",
        description: "Create an option for a select/multi_select attribute (e.g. 'Leather' for Material).",
        operation: operation!("mcp/admin/create_attribute_option.graphql"),
        args: &[
            bind("attribute_id", "attributeId").doc("The attribute id."),
            translations("input.translations", &["name"]).required(),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_attribute_option",
        description: "Update an attribute option (replaces its position and names).",
        operation: operation!("mcp/admin/update_attribute_option.graphql"),
        args: &[
            bind("attribute_id", "attributeId").doc("The attribute id."),
            bind("option_id", "optionId").doc("The option id."),
            translations("input.translations", &["name"]).required(),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_attribute_option",
        description: "Delete an attribute option (refused while a product or variant value uses it).",
        operation: operation!("mcp/admin/delete_attribute_option.graphql"),
        args: &[
            bind("attribute_id", "attributeId").doc("The attribute id."),
            bind("option_id", "optionId").doc("The option id."),
        ],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_set_product_attributes",
        description: "Set attribute values on a product (one per attribute, replacing its previous \
                      value). Each value needs attribute_id and, by the attribute's type, \
                      value_text (text), value_numeric (number), value_boolean (boolean), \
                      option_id (select) or option_ids (multi_select).",
        operation: operation!("mcp/admin/set_product_attributes.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            bind("attributes", "values").doc(
                "The values: a list of {attribute_id, value_text | value_numeric | \
                 value_boolean | option_id | option_ids}.",
            ),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_set_variant_attributes",
        description: "Set attribute values on a product variant. Same format as \
                      admin_set_product_attributes.",
        operation: operation!("mcp/admin/set_variant_attributes.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            bind("variant_id", "variantId").doc("The variant id."),
            bind("attributes", "values").doc(
                "The values: a list of {attribute_id, value_text | value_numeric | \
                 value_boolean | option_id | option_ids}.",
            ),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_variant",
        description: "Delete a product variant; its stock goes with it.",
        operation: operation!("mcp/admin/delete_variant.graphql"),
        args: &[
            bind("product_id", "productId").doc("The product id."),
            bind("variant_id", "variantId").doc("The variant id."),
        ],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_discounts",
        description: "List discount codes, newest first. Values are basis points for \
                      `percentage` (2000 = 20%) and cents for `fixed`.",
        operation: operation!("mcp/admin/list_discounts.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page, 1 to 200."),
            bind("type", "type").doc("Only `percentage` or only `fixed` discounts."),
            bind("code", "code").doc("Only codes containing this (case-insensitive)."),
            bind("active", "active").doc("Only active (true) or inactive (false) discounts."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_discount",
        description: "Get details of a discount, including how often it was used.",
        operation: operation!("mcp/admin/get_discount.graphql"),
        args: &[bind("id", "id").doc("The discount id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_discount",
        description: "Create a new discount code. `value` is in cents for `fixed`, or basis \
                      points for `percentage` (e.g. 2000 = 20%). `max_uses` 0 or absent = \
                      unlimited; dates are RFC 3339. The reference's argument names \
                      `amount`, `min_order_amount`, `starts_at` and `expires_at` are accepted \
                      for `value`, `min_order_value`, `valid_from` and `valid_until`.",
        operation: operation!("mcp/admin/create_discount.graphql"),
        args: DISCOUNT_ALIASES_AND_INPUT,
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_discount",
        description: "Update a discount. Only pass fields you want to change; the others \
                      stay. `max_uses` 0 = unlimited. Accepts the same aliases as \
                      admin_create_discount.",
        operation: operation!("mcp/admin/update_discount.graphql"),
        args: &[
            bind("id", "id").doc("The discount id."),
            DISCOUNT_ALIASES_AND_INPUT[0],
            DISCOUNT_ALIASES_AND_INPUT[1],
            DISCOUNT_ALIASES_AND_INPUT[2],
            DISCOUNT_ALIASES_AND_INPUT[3],
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_discount",
        description: "Delete a discount. A discount that an order used cannot be deleted \
                      (deactivate it with admin_update_discount instead).",
        operation: operation!("mcp/admin/delete_discount.graphql"),
        args: &[bind("id", "id").doc("The discount id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_validate_discount",
        description: "Check whether a discount code (any case) applies to an order total now \
                      and how much it takes off (`amount`, in cents). Refusals: \
                      DISCOUNT_NOT_FOUND, DISCOUNT_INACTIVE, DISCOUNT_NOT_STARTED, \
                      DISCOUNT_EXPIRED, DISCOUNT_EXHAUSTED, DISCOUNT_MIN_ORDER_VALUE. \
                      Changes nothing.",
        operation: operation!("mcp/admin/validate_discount.graphql"),
        args: &[
            bind("code", "code").doc("The discount code."),
            bind("order_total", "orderTotal").doc("The order total in cents (0 or more)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_warehouse",
        description: "Get warehouse details by id.",
        operation: operation!("mcp/admin/get_warehouse.graphql"),
        args: &[bind("id", "id").doc("The warehouse id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_warehouse",
        description: "Create a new warehouse.",
        operation: operation!("mcp/admin/create_warehouse.graphql"),
        args: &[spread("input")],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_warehouse",
        description: "Update a warehouse (replaces name, code, priority and flags); deactivating it takes its stock out of product stock.",
        operation: operation!("mcp/admin/update_warehouse.graphql"),
        args: &[bind("id", "id").doc("The warehouse id."), spread("input")],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_warehouse",
        description: "Delete an empty warehouse (the default warehouse stays).",
        operation: operation!("mcp/admin/delete_warehouse.graphql"),
        args: &[bind("id", "id").doc("The warehouse id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_warehouse_stock",
        description: "Get all stock entries for a warehouse, including product SKU and name.",
        operation: operation!("mcp/admin/get_warehouse_stock.graphql"),
        args: &[bind("id", "warehouseId").doc("The warehouse id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_product_stock",
        description: "Get stock entries for a product across all warehouses.",
        operation: operation!("mcp/admin/get_product_stock.graphql"),
        args: &[bind("product_id", "productId").doc("The product id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_set_warehouse_stock",
        description: "Set stock quantities for products at a warehouse (absolute values, upsert). \
                      Each item needs product_id and quantity, optionally variant_id and reference.",
        operation: operation!("mcp/admin/set_warehouse_stock.graphql"),
        args: &[
            bind("id", "warehouseId").doc("The warehouse id."),
            bind("items", "items"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_media",
        description: "List all uploaded media files (images, PDFs), newest first, with their URLs.",
        operation: operation!("mcp/admin/list_media.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Files per page, 1 to 200."),
            bind("mime_type", "mimeType").doc("Only files of this type (e.g. image/png)."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_media",
        description: "Delete a media file permanently (the stored file too; products lose it).",
        operation: operation!("mcp/admin/delete_media.graphql"),
        args: &[bind("id", "id").doc("The media id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_shipping_methods",
        description: "List all shipping methods with prices (in cents), cheapest first.",
        operation: operation!("mcp/admin/list_shipping_methods.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page, 1 to 200."),
            bind("active", "active").doc("Only active (true) or inactive (false) methods."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_shipping_method",
        description: "Get a shipping method with its prices and translations.",
        operation: operation!("mcp/admin/get_shipping_method.graphql"),
        args: &[bind("id", "id").doc("The shipping method id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_shipping_method",
        description: "Create a shipping method (a flat price per order). Prices are in cents; \
                      `price` sets net and gross alike, or give one of `price_net`/`price_gross` \
                      with a `tax_rule_id` and the other is derived. Give `name` (and \
                      `description`) for one translation in the store's default locale, or \
                      `translations` for several locales.",
        operation: operation!("mcp/admin/create_shipping_method.graphql"),
        args: &[
            translations("input.translations", &["name", "description"]).required(),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_shipping_method",
        description: "Update a shipping method. Only pass fields you want to change; \
                      `translations` (or `name` + `description`) replace all translations. \
                      Prices are in cents.",
        operation: operation!("mcp/admin/update_shipping_method.graphql"),
        args: &[
            bind("id", "id").doc("The shipping method id."),
            translations("input.translations", &["name", "description"]),
            fill("price", &["input.priceNet", "input.priceGross"]).doc(
                "Price in cents (minor units); sets `price_net` and `price_gross` unless \
                 they are given.",
            ),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_shipping_method",
        description: "Delete a shipping method (refused while orders use it; deactivate it \
                      instead).",
        operation: operation!("mcp/admin/delete_shipping_method.graphql"),
        args: &[bind("id", "id").doc("The shipping method id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_payment_methods",
        description: "List all payment methods (provider, active, names). Their configuration \
                      (provider credentials) is never shown, only whether one is set.",
        operation: operation!("mcp/admin/list_payment_methods.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Entries per page, 1 to 200."),
            bind("active", "active").doc("Only active (true) or inactive (false) methods."),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_create_payment_method",
        description: "Create a payment method. Without `provider` it is a manual method \
                      (invoice, bank transfer) that checks out without a payment reference. \
                      `config` (the provider's settings, a JSON object) is stored encrypted and \
                      never shown again. Give `name` (and `description`) for one translation \
                      in the store's default locale, or `translations`.",
        operation: operation!("mcp/admin/create_payment_method.graphql"),
        args: &[
            translations("input.translations", &["name", "description"]).required(),
            spread("input"),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_payment_method",
        description: "Update a payment method. Only pass fields you want to change; `config` \
                      replaces the stored (encrypted) configuration, null removes it.",
        operation: operation!("mcp/admin/update_payment_method.graphql"),
        args: &[
            bind("id", "id").doc("The payment method id."),
            translations("input.translations", &["name", "description"]),
            spread("input"),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_delete_payment_method",
        description: "Delete a payment method (refused while orders use it; deactivate it \
                      instead).",
        operation: operation!("mcp/admin/delete_payment_method.graphql"),
        args: &[bind("id", "id").doc("The payment method id.")],
        hints: REMOVE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_orders",
        description: "List all orders with pagination and filtering (status, customer, order \
                      number), newest first unless sorted otherwise.",
        operation: operation!("mcp/admin/list_orders.graphql"),
        args: &[
            bind("page", "page").doc("Page number, starting at 1."),
            bind("limit", "limit").doc("Orders per page, 1 to 100."),
            bind("filter_status", "status").doc(
                "Only orders with this status: pending, confirmed, processing, shipped, \
                 delivered, cancelled or refunded.",
            ),
            bind("customer_id", "customerId").doc("Only orders of this customer."),
            bind("search", "search").doc("Only orders whose number contains this."),
            bind("sort", "sort"),
            bind("order", "order"),
        ],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_get_order",
        description: "Get detailed order information including line items, addresses and \
                      status history.",
        operation: operation!("mcp/admin/get_order.graphql"),
        args: &[bind("id", "id").doc("The order id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_update_order_status",
        description: "Update an order's status along the status machine: pending → confirmed \
                      or cancelled; confirmed → processing or cancelled; processing → shipped \
                      or cancelled; shipped → delivered; delivered → refunded. Cancelling or \
                      refunding gives the order's stock back.",
        operation: operation!("mcp/admin/update_order_status.graphql"),
        args: &[
            bind("id", "id").doc("The order id."),
            bind("status", "status").doc(
                "The new status: confirmed, processing, shipped, delivered, cancelled or \
                 refunded.",
            ),
            bind("comment", "comment").doc("A note for the status history (optional)."),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_list_order_transactions",
        description: "List an order's payment transactions, oldest first (needs payment.read).",
        operation: operation!("mcp/admin/list_order_transactions.graphql"),
        args: &[bind("order_id", "orderId").doc("The order id.")],
        hints: READ,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_record_payment",
        description: "Record a payment of an order, e.g. an invoice paid by bank transfer. The \
                      currency must be the order's; captured (completed) payments never \
                      exceed the order total. Recording the same provider_reference again \
                      returns the same transaction (moved forward if the status is further \
                      along). The order's paymentStatus follows its transactions.",
        operation: operation!("mcp/admin/record_payment.graphql"),
        args: &[
            bind("order_id", "orderId").doc("The order id."),
            bind("amount", "amount").doc("The amount in minor units (cents), greater than 0."),
            bind("status", "status").doc(
                "pending, authorized, completed (money received; also `captured` or `paid`), \
                 failed or cancelled.",
            ),
            bind("currency", "currency").doc("ISO 4217 code; defaults to the order's currency."),
            bind("provider_reference", "providerReference")
                .doc("The payment's reference (bank transfer id, invoice number); optional."),
            bind("payment_method_id", "paymentMethodId")
                .doc("The payment method; defaults to the order's."),
        ],
        hints: ADD,
        session: SessionEffect::None,
    },
    ToolRow {
        name: "admin_set_payment_status",
        description: "Move a payment transaction along its status machine: pending → \
                      authorized, completed, failed or cancelled; authorized → completed, \
                      failed or cancelled; completed → refunded. Statuses never move back.",
        operation: operation!("mcp/admin/set_payment_status.graphql"),
        args: &[
            bind("transaction_id", "transactionId").doc("The payment transaction id."),
            bind("status", "status")
                .doc("The new status: authorized, completed, failed, cancelled or refunded."),
            bind("order_id", "orderId")
                .doc("The order the transaction must belong to (optional check)."),
        ],
        hints: OVERWRITE,
        session: SessionEffect::None,
    },
];

/// The store's default locale, for default-locale translation arguments
/// ([`crate::table::Arg::Translations`]).
pub const DEFAULT_LOCALE: Operation = operation!("mcp/default_locale.graphql");

/// The rows of a server.
pub fn rows(kind: ServerKind) -> &'static [ToolRow] {
    match kind {
        ServerKind::Store => STORE,
        ServerKind::Admin => ADMIN,
    }
}

/// Every operation the tables use (row operations and session refresh operations).
pub fn operations() -> Vec<crate::table::Operation> {
    let mut ops = vec![DEFAULT_LOCALE];
    for row in STORE.iter().chain(ADMIN) {
        ops.push(row.operation);
        if let SessionEffect::SignIn { refresh, .. } = row.session {
            ops.push(refresh);
        }
    }
    ops
}

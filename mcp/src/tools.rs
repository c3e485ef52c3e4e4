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

// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "tsvector", schema = "pg_catalog"))]
    pub struct Tsvector;
}

diesel::table! {
    admin_users (id) {
        id -> Uuid,
        #[max_length = 255]
        email -> Varchar,
        password_hash -> Text,
        #[max_length = 100]
        first_name -> Nullable<Varchar>,
        #[max_length = 100]
        last_name -> Nullable<Varchar>,
        #[max_length = 50]
        role -> Varchar,
        active -> Bool,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 64]
        key_hash -> Varchar,
        permissions -> Array<Nullable<Text>>,
        active -> Bool,
        last_used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        created_by -> Nullable<Uuid>,
        #[max_length = 10]
        key_type -> Varchar,
        customer_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    attribute_option_translations (option_id, locale) {
        option_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
    }
}

diesel::table! {
    attribute_options (id) {
        id -> Uuid,
        attribute_id -> Uuid,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    attribute_translations (attribute_id, locale) {
        attribute_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        description -> Text,
    }
}

diesel::table! {
    attributes (id) {
        id -> Uuid,
        #[max_length = 255]
        identifier -> Varchar,
        #[sql_name = "type"]
        #[max_length = 20]
        type_ -> Varchar,
        #[max_length = 20]
        unit -> Nullable<Varchar>,
        position -> Int4,
        filterable -> Bool,
        required -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> Uuid,
        user_id -> Nullable<Uuid>,
        #[max_length = 20]
        user_type -> Varchar,
        #[max_length = 50]
        action -> Varchar,
        #[max_length = 50]
        entity_type -> Varchar,
        entity_id -> Nullable<Uuid>,
        changes -> Jsonb,
        ip_address -> Nullable<Inet>,
        created_at -> Timestamptz,
        #[max_length = 20]
        channel -> Varchar,
    }
}

diesel::table! {
    cart_items (id) {
        id -> Uuid,
        cart_id -> Uuid,
        product_id -> Uuid,
        variant_id -> Nullable<Uuid>,
        quantity -> Int4,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        id -> Uuid,
        customer_id -> Nullable<Uuid>,
        #[max_length = 255]
        session_id -> Varchar,
        #[max_length = 3]
        currency -> Varchar,
        #[max_length = 100]
        discount_code -> Varchar,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    categories (id) {
        id -> Uuid,
        parent_id -> Nullable<Uuid>,
        position -> Int4,
        active -> Bool,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    category_translations (category_id, locale) {
        category_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        description -> Text,
        #[max_length = 255]
        slug -> Varchar,
    }
}

diesel::table! {
    checkout_idempotency (caller, key) {
        #[max_length = 255]
        key -> Varchar,
        #[max_length = 100]
        caller -> Varchar,
        order_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    customer_addresses (id) {
        id -> Uuid,
        customer_id -> Uuid,
        #[max_length = 100]
        first_name -> Nullable<Varchar>,
        #[max_length = 100]
        last_name -> Nullable<Varchar>,
        #[max_length = 255]
        company -> Nullable<Varchar>,
        #[max_length = 255]
        street -> Nullable<Varchar>,
        #[max_length = 100]
        city -> Nullable<Varchar>,
        #[max_length = 20]
        zip -> Nullable<Varchar>,
        #[max_length = 2]
        country_code -> Varchar,
        #[max_length = 50]
        phone -> Nullable<Varchar>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    customers (id) {
        id -> Uuid,
        #[max_length = 255]
        email -> Varchar,
        password_hash -> Text,
        #[max_length = 100]
        first_name -> Nullable<Varchar>,
        #[max_length = 100]
        last_name -> Nullable<Varchar>,
        active -> Bool,
        default_billing_address_id -> Nullable<Uuid>,
        default_shipping_address_id -> Nullable<Uuid>,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    discounts (id) {
        id -> Uuid,
        #[max_length = 100]
        code -> Varchar,
        #[sql_name = "type"]
        #[max_length = 20]
        type_ -> Varchar,
        value -> Int4,
        min_order_value -> Int4,
        max_uses -> Nullable<Int4>,
        used_count -> Int4,
        valid_from -> Nullable<Timestamptz>,
        valid_until -> Nullable<Timestamptz>,
        active -> Bool,
        conditions -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    domain_events (id) {
        id -> Int8,
        #[max_length = 50]
        kind -> Varchar,
        entity_id -> Nullable<Uuid>,
        customer_id -> Nullable<Uuid>,
        payload -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    login_attempts (email) {
        #[max_length = 255]
        email -> Varchar,
        failures -> Int4,
        locked_until -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    media (id) {
        id -> Uuid,
        #[max_length = 255]
        filename -> Varchar,
        #[max_length = 100]
        mime_type -> Varchar,
        size -> Int8,
        storage_path -> Text,
        #[max_length = 255]
        alt_text -> Varchar,
        thumbnails -> Jsonb,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_items (id) {
        id -> Uuid,
        order_id -> Uuid,
        product_id -> Nullable<Uuid>,
        variant_id -> Nullable<Uuid>,
        #[max_length = 100]
        sku -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        quantity -> Int4,
        unit_price_net -> Int4,
        unit_price_gross -> Int4,
        total_net -> Int4,
        total_gross -> Int4,
        tax_rate -> Int4,
    }
}

diesel::table! {
    order_status_history (id) {
        id -> Uuid,
        order_id -> Uuid,
        #[max_length = 50]
        from_status -> Varchar,
        #[max_length = 50]
        to_status -> Varchar,
        comment -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        #[max_length = 50]
        order_number -> Varchar,
        customer_id -> Nullable<Uuid>,
        #[max_length = 64]
        guest_token -> Nullable<Varchar>,
        #[max_length = 50]
        status -> Varchar,
        #[max_length = 3]
        currency -> Varchar,
        subtotal_net -> Int4,
        subtotal_gross -> Int4,
        discount_total -> Int4,
        shipping_cost -> Int4,
        tax_total -> Int4,
        total -> Int4,
        billing_address -> Jsonb,
        shipping_address -> Jsonb,
        payment_method_id -> Nullable<Uuid>,
        shipping_method_id -> Nullable<Uuid>,
        discount_id -> Nullable<Uuid>,
        #[max_length = 100]
        discount_code -> Varchar,
        notes -> Text,
        #[max_length = 255]
        payment_reference -> Varchar,
        #[max_length = 50]
        payment_status -> Varchar,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payment_method_translations (payment_method_id, locale) {
        payment_method_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        description -> Text,
    }
}

diesel::table! {
    payment_methods (id) {
        id -> Uuid,
        #[max_length = 100]
        provider -> Varchar,
        active -> Bool,
        config -> Nullable<Bytea>,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    payment_transactions (id) {
        id -> Uuid,
        order_id -> Uuid,
        payment_method_id -> Nullable<Uuid>,
        #[max_length = 50]
        status -> Varchar,
        #[max_length = 3]
        currency -> Varchar,
        amount -> Int4,
        #[max_length = 255]
        provider_reference -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    product_attribute_value_options (value_id, option_id) {
        value_id -> Uuid,
        option_id -> Uuid,
    }
}

diesel::table! {
    product_attribute_values (id) {
        id -> Uuid,
        product_id -> Uuid,
        attribute_id -> Uuid,
        value_text -> Nullable<Text>,
        value_numeric -> Nullable<Numeric>,
        value_boolean -> Nullable<Bool>,
        option_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    product_categories (product_id, category_id) {
        product_id -> Uuid,
        category_id -> Uuid,
        position -> Int4,
    }
}

diesel::table! {
    product_media (product_id, media_id) {
        product_id -> Uuid,
        media_id -> Uuid,
        position -> Int4,
    }
}

diesel::table! {
    product_tags (product_id, tag_id) {
        product_id -> Uuid,
        tag_id -> Uuid,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Tsvector;

    product_translations (product_id, locale) {
        product_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        description -> Text,
        #[max_length = 255]
        slug -> Varchar,
        #[max_length = 255]
        meta_title -> Varchar,
        meta_description -> Text,
        search_vector -> Nullable<Tsvector>,
    }
}

diesel::table! {
    product_variant_options (variant_id, option_id) {
        variant_id -> Uuid,
        option_id -> Uuid,
    }
}

diesel::table! {
    product_variants (id) {
        id -> Uuid,
        product_id -> Uuid,
        #[max_length = 100]
        sku -> Nullable<Varchar>,
        price_net -> Nullable<Int4>,
        price_gross -> Nullable<Int4>,
        stock -> Int4,
        active -> Bool,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Uuid,
        #[max_length = 100]
        sku -> Nullable<Varchar>,
        active -> Bool,
        price_net -> Int4,
        price_gross -> Int4,
        #[max_length = 3]
        currency -> Varchar,
        tax_rule_id -> Nullable<Uuid>,
        stock -> Int4,
        weight -> Nullable<Int4>,
        custom_fields -> Jsonb,
        metadata -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    property_group_translations (property_group_id, locale) {
        property_group_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
    }
}

diesel::table! {
    property_groups (id) {
        id -> Uuid,
        #[max_length = 255]
        identifier -> Varchar,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    property_option_translations (option_id, locale) {
        option_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
    }
}

diesel::table! {
    property_options (id) {
        id -> Uuid,
        group_id -> Uuid,
        #[max_length = 50]
        code -> Varchar,
        #[max_length = 7]
        color_hex -> Nullable<Varchar>,
        position -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        token_id -> Uuid,
        user_id -> Uuid,
        #[max_length = 20]
        user_type -> Varchar,
        family_id -> Uuid,
        revoked -> Bool,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    revoked_access_tokens (jti) {
        jti -> Uuid,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    shipping_method_translations (shipping_method_id, locale) {
        shipping_method_id -> Uuid,
        #[max_length = 10]
        locale -> Varchar,
        #[max_length = 255]
        name -> Varchar,
        description -> Text,
    }
}

diesel::table! {
    shipping_methods (id) {
        id -> Uuid,
        active -> Bool,
        price_net -> Int4,
        price_gross -> Int4,
        tax_rule_id -> Nullable<Uuid>,
        custom_fields -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    stock_movements (id) {
        id -> Uuid,
        warehouse_id -> Uuid,
        product_id -> Uuid,
        variant_id -> Nullable<Uuid>,
        order_id -> Nullable<Uuid>,
        #[max_length = 50]
        movement_type -> Varchar,
        quantity -> Int4,
        #[max_length = 255]
        reference -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    store_settings (id) {
        id -> Uuid,
        singleton -> Bool,
        store_name -> Text,
        store_description -> Text,
        logo_url -> Text,
        favicon_url -> Text,
        contact_email -> Text,
        #[max_length = 3]
        currency -> Varchar,
        #[max_length = 2]
        country -> Varchar,
        timezone -> Text,
        copyright_text -> Text,
        maintenance_mode -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tags (id) {
        id -> Uuid,
        #[max_length = 100]
        name -> Varchar,
        #[max_length = 100]
        slug -> Varchar,
    }
}

diesel::table! {
    tax_rules (id) {
        id -> Uuid,
        #[max_length = 100]
        name -> Varchar,
        rate -> Int4,
        #[max_length = 2]
        country_code -> Varchar,
        #[sql_name = "type"]
        #[max_length = 50]
        type_ -> Varchar,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    variant_attribute_value_options (value_id, option_id) {
        value_id -> Uuid,
        option_id -> Uuid,
    }
}

diesel::table! {
    variant_attribute_values (id) {
        id -> Uuid,
        variant_id -> Uuid,
        attribute_id -> Uuid,
        value_text -> Nullable<Text>,
        value_numeric -> Nullable<Numeric>,
        value_boolean -> Nullable<Bool>,
        option_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    warehouse_stock (id) {
        id -> Uuid,
        warehouse_id -> Uuid,
        product_id -> Uuid,
        variant_id -> Nullable<Uuid>,
        quantity -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    warehouses (id) {
        id -> Uuid,
        #[max_length = 255]
        name -> Varchar,
        #[max_length = 50]
        code -> Varchar,
        active -> Bool,
        priority -> Int4,
        allow_negative_stock -> Bool,
        #[max_length = 255]
        address_line1 -> Varchar,
        #[max_length = 255]
        address_line2 -> Varchar,
        #[max_length = 255]
        city -> Varchar,
        #[max_length = 255]
        state -> Varchar,
        #[max_length = 50]
        postal_code -> Varchar,
        #[max_length = 2]
        country -> Varchar,
        custom_fields -> Jsonb,
        metadata -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(api_keys -> admin_users (created_by));
diesel::joinable!(api_keys -> customers (customer_id));
diesel::joinable!(attribute_option_translations -> attribute_options (option_id));
diesel::joinable!(attribute_options -> attributes (attribute_id));
diesel::joinable!(attribute_translations -> attributes (attribute_id));
diesel::joinable!(cart_items -> carts (cart_id));
diesel::joinable!(cart_items -> product_variants (variant_id));
diesel::joinable!(cart_items -> products (product_id));
diesel::joinable!(carts -> customers (customer_id));
diesel::joinable!(category_translations -> categories (category_id));
diesel::joinable!(checkout_idempotency -> orders (order_id));
diesel::joinable!(order_items -> orders (order_id));
diesel::joinable!(order_items -> product_variants (variant_id));
diesel::joinable!(order_items -> products (product_id));
diesel::joinable!(order_status_history -> orders (order_id));
diesel::joinable!(orders -> customers (customer_id));
diesel::joinable!(orders -> discounts (discount_id));
diesel::joinable!(orders -> payment_methods (payment_method_id));
diesel::joinable!(orders -> shipping_methods (shipping_method_id));
diesel::joinable!(payment_method_translations -> payment_methods (payment_method_id));
diesel::joinable!(payment_transactions -> orders (order_id));
diesel::joinable!(payment_transactions -> payment_methods (payment_method_id));
diesel::joinable!(product_attribute_value_options -> attribute_options (option_id));
diesel::joinable!(product_attribute_value_options -> product_attribute_values (value_id));
diesel::joinable!(product_attribute_values -> attribute_options (option_id));
diesel::joinable!(product_attribute_values -> attributes (attribute_id));
diesel::joinable!(product_attribute_values -> products (product_id));
diesel::joinable!(product_categories -> categories (category_id));
diesel::joinable!(product_categories -> products (product_id));
diesel::joinable!(product_media -> media (media_id));
diesel::joinable!(product_media -> products (product_id));
diesel::joinable!(product_tags -> products (product_id));
diesel::joinable!(product_tags -> tags (tag_id));
diesel::joinable!(product_translations -> products (product_id));
diesel::joinable!(product_variant_options -> product_variants (variant_id));
diesel::joinable!(product_variant_options -> property_options (option_id));
diesel::joinable!(product_variants -> products (product_id));
diesel::joinable!(products -> tax_rules (tax_rule_id));
diesel::joinable!(property_group_translations -> property_groups (property_group_id));
diesel::joinable!(property_option_translations -> property_options (option_id));
diesel::joinable!(property_options -> property_groups (group_id));
diesel::joinable!(shipping_method_translations -> shipping_methods (shipping_method_id));
diesel::joinable!(shipping_methods -> tax_rules (tax_rule_id));
diesel::joinable!(stock_movements -> orders (order_id));
diesel::joinable!(stock_movements -> product_variants (variant_id));
diesel::joinable!(stock_movements -> products (product_id));
diesel::joinable!(stock_movements -> warehouses (warehouse_id));
diesel::joinable!(variant_attribute_value_options -> attribute_options (option_id));
diesel::joinable!(variant_attribute_value_options -> variant_attribute_values (value_id));
diesel::joinable!(variant_attribute_values -> attribute_options (option_id));
diesel::joinable!(variant_attribute_values -> attributes (attribute_id));
diesel::joinable!(variant_attribute_values -> product_variants (variant_id));
diesel::joinable!(warehouse_stock -> product_variants (variant_id));
diesel::joinable!(warehouse_stock -> products (product_id));
diesel::joinable!(warehouse_stock -> warehouses (warehouse_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_users,
    api_keys,
    attribute_option_translations,
    attribute_options,
    attribute_translations,
    attributes,
    audit_logs,
    cart_items,
    carts,
    categories,
    category_translations,
    checkout_idempotency,
    customer_addresses,
    customers,
    discounts,
    domain_events,
    login_attempts,
    media,
    order_items,
    order_status_history,
    orders,
    payment_method_translations,
    payment_methods,
    payment_transactions,
    product_attribute_value_options,
    product_attribute_values,
    product_categories,
    product_media,
    product_tags,
    product_translations,
    product_variant_options,
    product_variants,
    products,
    property_group_translations,
    property_groups,
    property_option_translations,
    property_options,
    refresh_tokens,
    revoked_access_tokens,
    shipping_method_translations,
    shipping_methods,
    stock_movements,
    store_settings,
    tags,
    tax_rules,
    variant_attribute_value_options,
    variant_attribute_values,
    warehouse_stock,
    warehouses,
);

// @generated automatically by Diesel CLI.

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
    login_attempts (email) {
        #[max_length = 255]
        email -> Varchar,
        failures -> Int4,
        locked_until -> Nullable<Timestamptz>,
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

diesel::joinable!(api_keys -> admin_users (created_by));
diesel::joinable!(api_keys -> customers (customer_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_users,
    api_keys,
    audit_logs,
    customer_addresses,
    customers,
    login_attempts,
    refresh_tokens,
    revoked_access_tokens,
    store_settings,
);

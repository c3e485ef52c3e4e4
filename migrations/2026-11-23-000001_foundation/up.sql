-- Foundation: staff, customers, addresses, API keys, auth state shared by every instance,
-- audit log and store settings. Ids are UUIDs (the application writes v7; the default is v4).

CREATE TABLE admin_users (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email         VARCHAR(255) NOT NULL,
    password_hash TEXT NOT NULL,
    first_name    VARCHAR(100),
    last_name     VARCHAR(100),
    role          VARCHAR(50) NOT NULL DEFAULT 'admin'
                  CHECK (role IN ('super_admin', 'admin', 'manager')),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    last_login_at TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_admin_users_email_lower ON admin_users (LOWER(email));

CREATE TABLE customers (
    id                          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email                       VARCHAR(255) NOT NULL,
    password_hash               TEXT NOT NULL,
    first_name                  VARCHAR(100),
    last_name                   VARCHAR(100),
    active                      BOOLEAN NOT NULL DEFAULT TRUE,
    default_billing_address_id  UUID,
    default_shipping_address_id UUID,
    custom_fields               JSONB NOT NULL DEFAULT '{}',
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_customers_email_lower ON customers (LOWER(email));

CREATE TABLE customer_addresses (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id  UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    first_name   VARCHAR(100),
    last_name    VARCHAR(100),
    company      VARCHAR(255),
    street       VARCHAR(255),
    city         VARCHAR(100),
    zip          VARCHAR(20),
    country_code VARCHAR(2) NOT NULL DEFAULT 'DE',
    phone        VARCHAR(50),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_customer_addresses_customer ON customer_addresses (customer_id);

ALTER TABLE customers
    ADD CONSTRAINT customers_default_billing_address_fk
        FOREIGN KEY (default_billing_address_id) REFERENCES customer_addresses (id) ON DELETE SET NULL,
    ADD CONSTRAINT customers_default_shipping_address_fk
        FOREIGN KEY (default_shipping_address_id) REFERENCES customer_addresses (id) ON DELETE SET NULL;

CREATE TABLE api_keys (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name         VARCHAR(255) NOT NULL,
    key_hash     VARCHAR(64) NOT NULL UNIQUE,
    permissions  TEXT[] NOT NULL DEFAULT '{}',
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    last_used_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    created_by   UUID REFERENCES admin_users (id) ON DELETE SET NULL,
    key_type     VARCHAR(10) NOT NULL DEFAULT 'admin' CHECK (key_type IN ('admin', 'store')),
    customer_id  UUID REFERENCES customers (id) ON DELETE CASCADE,
    CHECK ((key_type = 'store') = (customer_id IS NOT NULL))
);
CREATE INDEX idx_api_keys_created_by ON api_keys (created_by);
CREATE INDEX idx_api_keys_customer ON api_keys (customer_id);
CREATE INDEX idx_api_keys_key_type ON api_keys (key_type);

-- Refresh tokens: one row per issued token (jti); a login starts a family, each refresh
-- revokes the presented token and issues the next one in the same family.
CREATE TABLE refresh_tokens (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_id   UUID NOT NULL UNIQUE,
    user_id    UUID NOT NULL,
    user_type  VARCHAR(20) NOT NULL CHECK (user_type IN ('admin', 'customer')),
    family_id  UUID NOT NULL,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX idx_refresh_tokens_expires ON refresh_tokens (expires_at);

-- Access tokens revoked by logout, until they expire: shared by every instance.
CREATE TABLE revoked_access_tokens (
    jti        UUID PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_revoked_access_tokens_expires ON revoked_access_tokens (expires_at);

-- Brute-force protection per normalised email: shared by every instance.
CREATE TABLE login_attempts (
    email        VARCHAR(255) PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE audit_logs (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID,
    user_type   VARCHAR(20) NOT NULL,
    action      VARCHAR(50) NOT NULL,
    entity_type VARCHAR(50) NOT NULL,
    entity_id   UUID,
    changes     JSONB NOT NULL DEFAULT '{}',
    ip_address  INET,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_audit_logs_entity ON audit_logs (entity_type, entity_id);
CREATE INDEX idx_audit_logs_user ON audit_logs (user_id);
CREATE INDEX idx_audit_logs_created ON audit_logs (created_at DESC);

CREATE TABLE store_settings (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    singleton         BOOLEAN NOT NULL DEFAULT TRUE UNIQUE CHECK (singleton),
    store_name        TEXT NOT NULL DEFAULT 'Stoa',
    store_description TEXT NOT NULL DEFAULT '',
    logo_url          TEXT NOT NULL DEFAULT '',
    favicon_url       TEXT NOT NULL DEFAULT '',
    contact_email     TEXT NOT NULL DEFAULT '',
    currency          VARCHAR(3) NOT NULL DEFAULT 'EUR',
    country           VARCHAR(2) NOT NULL DEFAULT '',
    timezone          TEXT NOT NULL DEFAULT 'UTC',
    copyright_text    TEXT NOT NULL DEFAULT '',
    maintenance_mode  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
INSERT INTO store_settings (singleton) VALUES (TRUE);

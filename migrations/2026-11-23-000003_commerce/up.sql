-- Commerce: shipping and payment methods, discounts, carts, orders with items and status
-- history, payment transactions, checkout idempotency and the domain-event outbox.
-- Fixes against the reference: text columns are NOT NULL DEFAULT '' (no NULL scans), every
-- foreign key says what happens on delete (RESTRICT → the API answers 409), order items and
-- carts are indexed by their owner, discount codes fit their DTO (100), `used_count` can
-- never pass `max_uses`, and the cart-item uniqueness treats "no variant" as one value.

CREATE TABLE shipping_methods (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    price_net     INTEGER NOT NULL DEFAULT 0 CHECK (price_net >= 0),
    price_gross   INTEGER NOT NULL DEFAULT 0 CHECK (price_gross >= 0),
    tax_rule_id   UUID REFERENCES tax_rules (id) ON DELETE SET NULL,
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_shipping_methods_active ON shipping_methods (active, price_gross);

CREATE TABLE shipping_method_translations (
    shipping_method_id UUID NOT NULL REFERENCES shipping_methods (id) ON DELETE CASCADE,
    locale             VARCHAR(10) NOT NULL,
    name               VARCHAR(255) NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (shipping_method_id, locale)
);

-- `config` holds AES-256-GCM ciphertext (12-byte nonce ‖ ciphertext ‖ tag); never plaintext
-- after start-up. An empty `provider` would be a manual method; the reference requires one,
-- so manual methods use provider names such as `bank_transfer` and no payment reference.
CREATE TABLE payment_methods (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    provider      VARCHAR(100) NOT NULL CHECK (provider <> ''),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    config        BYTEA,
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_payment_methods_active ON payment_methods (active, created_at);

CREATE TABLE payment_method_translations (
    payment_method_id UUID NOT NULL REFERENCES payment_methods (id) ON DELETE CASCADE,
    locale            VARCHAR(10) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (payment_method_id, locale)
);

CREATE TABLE discounts (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    code            VARCHAR(100) NOT NULL,
    type            VARCHAR(20) NOT NULL CHECK (type IN ('percentage', 'fixed')),
    -- basis points for percentage (1000 = 10 %), minor units for fixed
    value           INTEGER NOT NULL CHECK (value > 0),
    min_order_value INTEGER NOT NULL DEFAULT 0 CHECK (min_order_value >= 0),
    -- NULL = unlimited
    max_uses        INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
    used_count      INTEGER NOT NULL DEFAULT 0 CHECK (used_count >= 0),
    valid_from      TIMESTAMPTZ,
    valid_until     TIMESTAMPTZ,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    conditions      JSONB NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CHECK (type <> 'percentage' OR value <= 10000),
    CHECK (max_uses IS NULL OR used_count <= max_uses),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
CREATE UNIQUE INDEX idx_discounts_code_upper ON discounts (UPPER(code));
CREATE INDEX idx_discounts_active ON discounts (active);

CREATE TABLE carts (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id   UUID REFERENCES customers (id) ON DELETE CASCADE,
    session_id    VARCHAR(255) NOT NULL DEFAULT '',
    currency      VARCHAR(3) NOT NULL DEFAULT 'EUR',
    discount_code VARCHAR(100) NOT NULL DEFAULT '',
    expires_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_carts_customer ON carts (customer_id);
CREATE INDEX idx_carts_session ON carts (session_id) WHERE session_id <> '';
CREATE INDEX idx_carts_expires ON carts (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE cart_items (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    cart_id       UUID NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id    UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant_id    UUID REFERENCES product_variants (id) ON DELETE CASCADE,
    quantity      INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_cart_items_line
    ON cart_items (cart_id, product_id, COALESCE(variant_id, '00000000-0000-0000-0000-000000000000'));

CREATE TABLE orders (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_number       VARCHAR(50) NOT NULL UNIQUE,
    customer_id        UUID REFERENCES customers (id) ON DELETE SET NULL,
    guest_token        VARCHAR(64),
    status             VARCHAR(50) NOT NULL DEFAULT 'pending' CHECK (status IN
                         ('pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')),
    currency           VARCHAR(3) NOT NULL DEFAULT 'EUR',
    subtotal_net       INTEGER NOT NULL DEFAULT 0,
    subtotal_gross     INTEGER NOT NULL DEFAULT 0,
    discount_total     INTEGER NOT NULL DEFAULT 0,
    shipping_cost      INTEGER NOT NULL DEFAULT 0,
    tax_total          INTEGER NOT NULL DEFAULT 0,
    total              INTEGER NOT NULL DEFAULT 0,
    billing_address    JSONB NOT NULL DEFAULT '{}',
    shipping_address   JSONB NOT NULL DEFAULT '{}',
    payment_method_id  UUID REFERENCES payment_methods (id) ON DELETE RESTRICT,
    shipping_method_id UUID REFERENCES shipping_methods (id) ON DELETE RESTRICT,
    discount_id        UUID REFERENCES discounts (id) ON DELETE RESTRICT,
    discount_code      VARCHAR(100) NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    payment_reference  VARCHAR(255) NOT NULL DEFAULT '',
    payment_status     VARCHAR(50) NOT NULL DEFAULT 'pending',
    custom_fields      JSONB NOT NULL DEFAULT '{}',
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_orders_guest_token ON orders (guest_token) WHERE guest_token IS NOT NULL;
CREATE INDEX idx_orders_customer ON orders (customer_id, created_at DESC);
CREATE INDEX idx_orders_status ON orders (status, created_at DESC);
CREATE INDEX idx_orders_created ON orders (created_at DESC);

CREATE TABLE order_items (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id         UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       UUID REFERENCES products (id) ON DELETE SET NULL,
    variant_id       UUID REFERENCES product_variants (id) ON DELETE SET NULL,
    sku              VARCHAR(100) NOT NULL DEFAULT '',
    name             VARCHAR(255) NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_net   INTEGER NOT NULL,
    unit_price_gross INTEGER NOT NULL,
    total_net        INTEGER NOT NULL,
    total_gross      INTEGER NOT NULL,
    tax_rate         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_order_items_order ON order_items (order_id);

CREATE TABLE order_status_history (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id    UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status VARCHAR(50) NOT NULL DEFAULT '',
    to_status   VARCHAR(50) NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_order_status_history_order ON order_status_history (order_id, created_at);

CREATE TABLE payment_transactions (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id           UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    payment_method_id  UUID REFERENCES payment_methods (id) ON DELETE SET NULL,
    status             VARCHAR(50) NOT NULL DEFAULT 'pending',
    currency           VARCHAR(3) NOT NULL DEFAULT 'EUR',
    amount             INTEGER NOT NULL,
    provider_reference VARCHAR(255) NOT NULL DEFAULT '',
    created_at         TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_payment_transactions_order ON payment_transactions (order_id);
CREATE UNIQUE INDEX idx_payment_transactions_reference
    ON payment_transactions (provider_reference) WHERE provider_reference <> '';

-- A checkout retried with the same key returns the same order (per caller).
CREATE TABLE checkout_idempotency (
    key        VARCHAR(255) NOT NULL,
    caller     VARCHAR(100) NOT NULL,
    order_id   UUID REFERENCES orders (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (caller, key)
);

-- Domain events, written in the transaction that causes them and published after commit
-- (LISTEN/NOTIFY carries the id; every instance reads the row).
CREATE TABLE domain_events (
    id          BIGSERIAL PRIMARY KEY,
    kind        VARCHAR(50) NOT NULL,
    entity_id   UUID,
    customer_id UUID,
    payload     JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_domain_events_created ON domain_events (created_at);

ALTER TABLE stock_movements
    ADD CONSTRAINT stock_movements_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE SET NULL;

-- Catalog: tax rules, tags, categories, products, variants, property groups (variant axes),
-- attributes (typed classification values), media, warehouses and stock.
-- Fixes against the reference: SKUs are NULL when absent (never ''), the missing indexes
-- exist, references that must not dangle are RESTRICT (the API answers 409), and every
-- translation row has a full-text vector built with its locale's configuration.

-- The text-search configuration of a locale (de→german, en→english, …, else simple).
CREATE FUNCTION stoa_ts_config(locale TEXT) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(split_part(locale, '-', 1))
        WHEN 'de' THEN 'german'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        WHEN 'fr' THEN 'french'::regconfig
        WHEN 'es' THEN 'spanish'::regconfig
        WHEN 'it' THEN 'italian'::regconfig
        WHEN 'nl' THEN 'dutch'::regconfig
        ELSE 'simple'::regconfig
    END
$$;

CREATE TABLE tax_rules (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name         VARCHAR(100) NOT NULL,
    rate         INTEGER NOT NULL CHECK (rate BETWEEN 0 AND 100000),
    country_code VARCHAR(2) NOT NULL DEFAULT 'DE',
    type         VARCHAR(50) NOT NULL DEFAULT 'standard',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE tags (
    id   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    slug VARCHAR(100) NOT NULL UNIQUE
);

CREATE TABLE categories (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id     UUID REFERENCES categories (id) ON DELETE SET NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX idx_categories_parent ON categories (parent_id);
CREATE INDEX idx_categories_active ON categories (active);

CREATE TABLE category_translations (
    category_id UUID NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    locale      VARCHAR(10) NOT NULL,
    name        VARCHAR(255) NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    slug        VARCHAR(255) NOT NULL,
    PRIMARY KEY (category_id, locale)
);
CREATE INDEX idx_category_translations_slug ON category_translations (slug);

CREATE TABLE products (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sku           VARCHAR(100) UNIQUE CHECK (sku <> ''),
    active        BOOLEAN NOT NULL DEFAULT FALSE,
    price_net     INTEGER NOT NULL DEFAULT 0 CHECK (price_net >= 0),
    price_gross   INTEGER NOT NULL DEFAULT 0 CHECK (price_gross >= 0),
    currency      VARCHAR(3) NOT NULL DEFAULT 'EUR',
    tax_rule_id   UUID REFERENCES tax_rules (id) ON DELETE RESTRICT,
    stock         INTEGER NOT NULL DEFAULT 0,
    weight        INTEGER CHECK (weight >= 0),
    custom_fields JSONB NOT NULL DEFAULT '{}',
    metadata      JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_products_active_created ON products (active, created_at DESC, id);
CREATE INDEX idx_products_tax_rule ON products (tax_rule_id);
CREATE INDEX idx_products_custom_fields ON products USING GIN (custom_fields);

CREATE TABLE product_translations (
    product_id       UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    locale           VARCHAR(10) NOT NULL,
    name             VARCHAR(255) NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    slug             VARCHAR(255) NOT NULL,
    meta_title       VARCHAR(255) NOT NULL DEFAULT '',
    meta_description TEXT NOT NULL DEFAULT '',
    search_vector    TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector(stoa_ts_config(locale), coalesce(name, '')), 'A')
        || setweight(to_tsvector(stoa_ts_config(locale), coalesce(description, '')), 'B')
    ) STORED,
    PRIMARY KEY (product_id, locale)
);
CREATE INDEX idx_product_translations_slug ON product_translations (slug);
CREATE INDEX idx_product_translations_search ON product_translations USING GIN (search_vector);

CREATE TABLE product_categories (
    product_id  UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    category_id UUID NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, category_id)
);
CREATE INDEX idx_product_categories_category ON product_categories (category_id);

CREATE TABLE product_tags (
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tag_id     UUID NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, tag_id)
);
CREATE INDEX idx_product_tags_tag ON product_tags (tag_id);

CREATE TABLE property_groups (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    identifier VARCHAR(255) NOT NULL UNIQUE CHECK (identifier ~ '^[a-z0-9][a-z0-9_-]*$'),
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE property_group_translations (
    property_group_id UUID NOT NULL REFERENCES property_groups (id) ON DELETE CASCADE,
    locale            VARCHAR(10) NOT NULL,
    name              VARCHAR(255) NOT NULL,
    PRIMARY KEY (property_group_id, locale)
);

CREATE TABLE property_options (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id   UUID NOT NULL REFERENCES property_groups (id) ON DELETE CASCADE,
    code       VARCHAR(50) NOT NULL DEFAULT '',
    color_hex  VARCHAR(7) CHECK (color_hex ~ '^#[0-9a-fA-F]{6}$'),
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_property_options_group ON property_options (group_id);

CREATE TABLE property_option_translations (
    option_id UUID NOT NULL REFERENCES property_options (id) ON DELETE CASCADE,
    locale    VARCHAR(10) NOT NULL,
    name      VARCHAR(255) NOT NULL,
    PRIMARY KEY (option_id, locale)
);

CREATE TABLE product_variants (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id    UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku           VARCHAR(100) UNIQUE CHECK (sku <> ''),
    price_net     INTEGER CHECK (price_net >= 0),
    price_gross   INTEGER CHECK (price_gross >= 0),
    stock         INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_product_variants_product ON product_variants (product_id);

CREATE TABLE product_variant_options (
    variant_id UUID NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    option_id  UUID NOT NULL REFERENCES property_options (id) ON DELETE RESTRICT,
    PRIMARY KEY (variant_id, option_id)
);
CREATE INDEX idx_product_variant_options_option ON product_variant_options (option_id);

CREATE TABLE attributes (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    identifier VARCHAR(255) NOT NULL UNIQUE CHECK (identifier ~ '^[a-z0-9][a-z0-9_-]*$'),
    type       VARCHAR(20) NOT NULL CHECK (type IN ('text', 'number', 'select', 'multi_select', 'boolean')),
    unit       VARCHAR(20),
    position   INTEGER NOT NULL DEFAULT 0,
    filterable BOOLEAN NOT NULL DEFAULT FALSE,
    required   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_attributes_filterable ON attributes (filterable) WHERE filterable;

CREATE TABLE attribute_translations (
    attribute_id UUID NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    locale       VARCHAR(10) NOT NULL,
    name         VARCHAR(255) NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (attribute_id, locale)
);

CREATE TABLE attribute_options (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    attribute_id UUID NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_attribute_options_attribute ON attribute_options (attribute_id);

CREATE TABLE attribute_option_translations (
    option_id UUID NOT NULL REFERENCES attribute_options (id) ON DELETE CASCADE,
    locale    VARCHAR(10) NOT NULL,
    name      VARCHAR(255) NOT NULL,
    PRIMARY KEY (option_id, locale)
);

CREATE TABLE product_attribute_values (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id    UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    attribute_id  UUID NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    value_text    TEXT,
    value_numeric NUMERIC(15, 4),
    value_boolean BOOLEAN,
    option_id     UUID REFERENCES attribute_options (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (product_id, attribute_id)
);
CREATE INDEX idx_product_attribute_values_attribute ON product_attribute_values (attribute_id);
CREATE INDEX idx_product_attribute_values_option ON product_attribute_values (option_id);

CREATE TABLE product_attribute_value_options (
    value_id  UUID NOT NULL REFERENCES product_attribute_values (id) ON DELETE CASCADE,
    option_id UUID NOT NULL REFERENCES attribute_options (id) ON DELETE CASCADE,
    PRIMARY KEY (value_id, option_id)
);

CREATE TABLE variant_attribute_values (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    variant_id    UUID NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    attribute_id  UUID NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    value_text    TEXT,
    value_numeric NUMERIC(15, 4),
    value_boolean BOOLEAN,
    option_id     UUID REFERENCES attribute_options (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (variant_id, attribute_id)
);
CREATE INDEX idx_variant_attribute_values_attribute ON variant_attribute_values (attribute_id);

CREATE TABLE variant_attribute_value_options (
    value_id  UUID NOT NULL REFERENCES variant_attribute_values (id) ON DELETE CASCADE,
    option_id UUID NOT NULL REFERENCES attribute_options (id) ON DELETE CASCADE,
    PRIMARY KEY (value_id, option_id)
);

CREATE TABLE media (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    filename      VARCHAR(255) NOT NULL,
    mime_type     VARCHAR(100) NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0),
    storage_path  TEXT NOT NULL,
    alt_text      VARCHAR(255) NOT NULL DEFAULT '',
    thumbnails    JSONB NOT NULL DEFAULT '{}',
    custom_fields JSONB NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE TABLE product_media (
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    media_id   UUID NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, media_id)
);
CREATE INDEX idx_product_media_media ON product_media (media_id);

CREATE TABLE warehouses (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                 VARCHAR(255) NOT NULL,
    code                 VARCHAR(50) NOT NULL UNIQUE,
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    priority             INTEGER NOT NULL DEFAULT 0 CHECK (priority >= 0),
    allow_negative_stock BOOLEAN NOT NULL DEFAULT FALSE,
    address_line1        VARCHAR(255) NOT NULL DEFAULT '',
    address_line2        VARCHAR(255) NOT NULL DEFAULT '',
    city                 VARCHAR(255) NOT NULL DEFAULT '',
    state                VARCHAR(255) NOT NULL DEFAULT '',
    postal_code          VARCHAR(50) NOT NULL DEFAULT '',
    country              VARCHAR(2) NOT NULL DEFAULT '',
    custom_fields        JSONB NOT NULL DEFAULT '{}',
    metadata             JSONB NOT NULL DEFAULT '{}',
    created_at           TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
INSERT INTO warehouses (id, name, code, priority)
VALUES ('00000000-0000-0000-0000-000000000001', 'Default Warehouse', 'DEFAULT', 0);

CREATE TABLE warehouse_stock (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    warehouse_id UUID NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
    product_id   UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant_id   UUID REFERENCES product_variants (id) ON DELETE CASCADE,
    quantity     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE UNIQUE INDEX idx_warehouse_stock_variant ON warehouse_stock (warehouse_id, product_id, variant_id) WHERE variant_id IS NOT NULL;
CREATE UNIQUE INDEX idx_warehouse_stock_product ON warehouse_stock (warehouse_id, product_id) WHERE variant_id IS NULL;
CREATE INDEX idx_warehouse_stock_product_id ON warehouse_stock (product_id);
CREATE INDEX idx_warehouse_stock_variant_id ON warehouse_stock (variant_id);

CREATE TABLE stock_movements (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    warehouse_id  UUID NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
    product_id    UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant_id    UUID REFERENCES product_variants (id) ON DELETE CASCADE,
    order_id      UUID,
    movement_type VARCHAR(50) NOT NULL CHECK (movement_type IN ('sale', 'restock', 'adjustment', 'return')),
    quantity      INTEGER NOT NULL,
    reference     VARCHAR(255) NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_stock_movements_warehouse ON stock_movements (warehouse_id);
CREATE INDEX idx_stock_movements_product ON stock_movements (product_id);
CREATE INDEX idx_stock_movements_order ON stock_movements (order_id) WHERE order_id IS NOT NULL;

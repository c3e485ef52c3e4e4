-- Catalog changes notify every instance on commit (channel `stoa_catalog`, payload the
-- table): the storefront response cache of each instance is cleared when they arrive.
-- Statement-level triggers: one notification per statement, folded per transaction.
CREATE FUNCTION stoa_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stoa_catalog', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER products_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_categories_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_categories
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_tags_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_tags
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_media_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_media
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER media_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_variants_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_variants
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_variant_options_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_variant_options
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER property_groups_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON property_groups
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER property_group_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON property_group_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER property_options_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON property_options
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER property_option_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON property_option_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER attributes_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attributes
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER attribute_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attribute_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER attribute_options_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attribute_options
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER attribute_option_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON attribute_option_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_attribute_values_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_attribute_values
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER product_attribute_value_options_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON product_attribute_value_options
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER variant_attribute_values_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON variant_attribute_values
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER variant_attribute_value_options_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON variant_attribute_value_options
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER categories_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER category_translations_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_translations
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER tags_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tags
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER tax_rules_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tax_rules
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER warehouses_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON warehouses
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER warehouse_stock_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON warehouse_stock
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();
CREATE TRIGGER store_settings_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON store_settings
    FOR EACH STATEMENT EXECUTE FUNCTION stoa_catalog_changed();

CREATE OR REPLACE FUNCTION stoa_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stoa_catalog', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

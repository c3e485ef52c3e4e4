-- A transaction may send its notifications itself once it has committed: with the setting
-- `stoa.defer_notify` at `on` for the transaction (`set_config(…, true)`), the catalog
-- triggers stay silent. The checkout does this so that its commit does not queue on
-- PostgreSQL's global notification lock (held from the first NOTIFY of a committing
-- transaction until its commit record is flushed); it notifies right after the commit.
CREATE OR REPLACE FUNCTION stoa_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('stoa.defer_notify', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_notify('stoa_catalog', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END;
$$;

CREATE ROLE lint_purger_role NOLOGIN;
CREATE FUNCTION purge(t int) RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT t';
REVOKE EXECUTE ON FUNCTION purge(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge(int) TO lint_purger_role;
-- An ordinary function keeps the default.
CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
-- A trigger function cannot be called directly.
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ BEGIN RETURN NEW; END $$;

CREATE FUNCTION purge(tbl text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN EXECUTE format('DELETE FROM %I', tbl); END $$;
CREATE FUNCTION purge_one(tbl text, id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN EXECUTE format('DELETE FROM %I WHERE id = $1', tbl) USING id; END $$;
-- Not a definer: runs with the caller's rights.
CREATE FUNCTION count_rows(tbl text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint; BEGIN EXECUTE 'SELECT count(*) FROM ' || quote_ident(tbl) INTO n; RETURN n; END $$;

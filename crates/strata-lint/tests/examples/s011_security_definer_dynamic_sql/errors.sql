CREATE FUNCTION purge(tbl text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN EXECUTE 'DELETE FROM ' || tbl; END $$;

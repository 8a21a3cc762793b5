DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_pair_reader') THEN
        CREATE ROLE strata_pair_reader;
    END IF;
END $$;
CREATE TABLE people (id int PRIMARY KEY, email text, secret text);
CREATE FUNCTION shout(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT upper($1)$$;
CREATE FUNCTION shout(text, int) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT repeat(upper($1), $2)$$;
GRANT SELECT (id, email), UPDATE (email) ON people TO strata_pair_reader;
GRANT EXECUTE ON FUNCTION shout(text, int) TO strata_pair_reader;
REVOKE EXECUTE ON FUNCTION shout(text) FROM PUBLIC;

CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x + 2 $$;
COMMENT ON FUNCTION add_one(int) IS 'adds';

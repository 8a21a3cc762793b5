CREATE FUNCTION step(acc int, x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT acc + x $$;

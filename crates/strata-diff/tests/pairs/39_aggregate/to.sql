CREATE FUNCTION concat_step(acc text, x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(acc || ',', '') || x $$;
CREATE AGGREGATE csv(text) (SFUNC = concat_step, STYPE = text);

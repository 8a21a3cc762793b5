CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'a' $$;
CREATE TABLE t (id int PRIMARY KEY, code text DEFAULT next_code());

CREATE FUNCTION ok(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT x > 0 $$;
CREATE TABLE t (id int PRIMARY KEY, n int CHECK (ok(n)));

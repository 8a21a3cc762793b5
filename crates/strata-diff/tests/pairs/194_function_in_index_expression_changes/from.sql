CREATE FUNCTION norm(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(x) $$;
CREATE TABLE t (id int PRIMARY KEY, a text);
CREATE INDEX t_norm_idx ON t (norm(a));

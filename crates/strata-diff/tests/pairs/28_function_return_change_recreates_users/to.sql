CREATE FUNCTION norm(x text) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$ SELECT lower(x)::varchar $$;
CREATE TABLE t (id int PRIMARY KEY, name text);
CREATE INDEX t_norm_idx ON t (norm(name));
CREATE VIEW v AS SELECT id, norm(name) AS n FROM t;

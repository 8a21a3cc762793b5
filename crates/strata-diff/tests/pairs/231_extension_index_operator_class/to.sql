CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE TABLE t (id int PRIMARY KEY, name text);
CREATE INDEX t_name_trgm_idx ON t USING gin (name public.gin_trgm_ops);

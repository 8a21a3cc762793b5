CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE TABLE t (id int PRIMARY KEY, name public.citext);

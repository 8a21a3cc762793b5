CREATE TABLE t (id int PRIMARY KEY, a text, b int, doc jsonb);
CREATE UNIQUE INDEX t_a_live_key ON t (a) WHERE b IS NULL;

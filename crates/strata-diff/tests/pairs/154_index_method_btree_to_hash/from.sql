CREATE TABLE t (id int PRIMARY KEY, a text, b int, doc jsonb);
CREATE INDEX t_a_idx ON t (a);

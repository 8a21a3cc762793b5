CREATE TABLE t (id int PRIMARY KEY, a text, b int, doc jsonb);
CREATE INDEX t_b_idx ON t (b) INCLUDE (a, id);

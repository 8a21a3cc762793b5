CREATE TABLE t (id int PRIMARY KEY, a text, b int, doc jsonb);
CREATE INDEX t_b_new ON t (b);

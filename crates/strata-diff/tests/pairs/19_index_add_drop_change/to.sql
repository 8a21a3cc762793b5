CREATE TABLE t (id int PRIMARY KEY, a int, b text);
CREATE INDEX t_a_idx ON t (a DESC) WHERE a > 0;
CREATE UNIQUE INDEX t_lower_b_idx ON t (lower(b));

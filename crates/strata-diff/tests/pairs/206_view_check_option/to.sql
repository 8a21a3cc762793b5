CREATE TABLE t (id int PRIMARY KEY, a text, b int);
CREATE VIEW v WITH (check_option = local) AS SELECT id, b FROM t WHERE b > 0;

CREATE TABLE t (id int PRIMARY KEY, a text, b text NOT NULL);
INSERT INTO t VALUES (1, 'x', 'y');

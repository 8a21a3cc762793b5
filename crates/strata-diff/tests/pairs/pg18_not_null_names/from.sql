CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, b text CONSTRAINT b_required NOT NULL, c text, d text CONSTRAINT d_required NOT NULL);
INSERT INTO t VALUES (1, 'a', 'b', 'c', 'd');

CREATE TABLE t (id int PRIMARY KEY, a text UNIQUE, b text, UNIQUE (a, b));

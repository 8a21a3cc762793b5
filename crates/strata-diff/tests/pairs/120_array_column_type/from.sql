CREATE TABLE t (id int PRIMARY KEY, xs int[]);

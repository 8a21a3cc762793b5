CREATE TABLE t (id int PRIMARY KEY, a text, CONSTRAINT t_a_key UNIQUE (a));

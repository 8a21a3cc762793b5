CREATE TABLE t (id int PRIMARY KEY, owner text);

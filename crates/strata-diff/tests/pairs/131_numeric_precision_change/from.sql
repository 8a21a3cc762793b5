CREATE TABLE t (id int PRIMARY KEY, amount numeric(10,2));

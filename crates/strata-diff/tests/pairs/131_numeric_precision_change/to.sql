CREATE TABLE t (id int PRIMARY KEY, amount numeric(14,4));

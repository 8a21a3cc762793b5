CREATE TABLE t (id int PRIMARY KEY, n bigint CHECK (n > 0));

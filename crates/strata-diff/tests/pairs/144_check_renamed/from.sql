CREATE TABLE t (id int PRIMARY KEY, n int CONSTRAINT old_name CHECK (n > 0));

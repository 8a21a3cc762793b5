CREATE TABLE t (id int PRIMARY KEY, n int, m int CHECK (m < 10));

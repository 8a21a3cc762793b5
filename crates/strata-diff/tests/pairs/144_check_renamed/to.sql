CREATE TABLE t (id int PRIMARY KEY, n int CONSTRAINT new_name CHECK (n > 0));

CREATE DOMAIN pos AS int;
CREATE TABLE t (id int PRIMARY KEY, n pos);

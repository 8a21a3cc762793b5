CREATE TABLE t (id int PRIMARY KEY, amount bigint NOT NULL, name varchar(50));

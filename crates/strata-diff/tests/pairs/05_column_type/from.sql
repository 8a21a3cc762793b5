CREATE TABLE t (id int PRIMARY KEY, amount int NOT NULL, name varchar(20));

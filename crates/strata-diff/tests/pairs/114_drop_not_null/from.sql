CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, b int NOT NULL);

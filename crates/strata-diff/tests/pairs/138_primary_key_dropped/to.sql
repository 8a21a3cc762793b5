CREATE TABLE t (id int NOT NULL, a text);

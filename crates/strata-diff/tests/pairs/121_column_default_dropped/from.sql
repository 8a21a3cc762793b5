CREATE TABLE t (id int PRIMARY KEY, a text DEFAULT 'x', b int DEFAULT 1);

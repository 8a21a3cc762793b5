CREATE TABLE t (id int PRIMARY KEY, a text, CONSTRAINT id_or_a CHECK (id > 0 OR a IS NOT NULL));

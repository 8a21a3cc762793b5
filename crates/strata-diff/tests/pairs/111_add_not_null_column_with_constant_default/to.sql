CREATE TABLE t (id int PRIMARY KEY, a text, active boolean NOT NULL DEFAULT true);

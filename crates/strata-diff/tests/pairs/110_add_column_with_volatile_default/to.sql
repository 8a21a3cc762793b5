CREATE TABLE t (id int PRIMARY KEY, a text, token uuid NOT NULL DEFAULT gen_random_uuid());

CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN code AS text;
CREATE TABLE t (id int PRIMARY KEY, qty positive, c code);

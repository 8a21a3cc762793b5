CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE t (id int PRIMARY KEY, s st DEFAULT 'a');

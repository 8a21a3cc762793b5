CREATE TYPE e1 AS ENUM ('x', 'y');
CREATE TYPE e2 AS ENUM ('x', 'y', 'z');
CREATE TABLE t (id int PRIMARY KEY, tags e2[]);

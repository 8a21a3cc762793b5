CREATE TYPE new_kind AS ENUM ('x', 'y');
CREATE TABLE t (id int PRIMARY KEY);

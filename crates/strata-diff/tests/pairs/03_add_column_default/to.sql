CREATE TABLE t (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', note text);

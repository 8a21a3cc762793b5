CREATE SCHEMA old;
CREATE TABLE old.a (id int PRIMARY KEY);
CREATE TABLE old.b (id int PRIMARY KEY, a_id int REFERENCES old.a);
CREATE TABLE t (id int);

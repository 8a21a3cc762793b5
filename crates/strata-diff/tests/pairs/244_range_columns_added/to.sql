CREATE TABLE t (id int PRIMARY KEY, span int4range, at tsrange);

CREATE SEQUENCE s;
CREATE TABLE t (id int PRIMARY KEY, n bigint DEFAULT nextval('s'));

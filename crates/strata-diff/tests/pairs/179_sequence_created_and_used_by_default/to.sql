CREATE SEQUENCE t_n_seq;
CREATE TABLE t (id int PRIMARY KEY, n bigint DEFAULT nextval('t_n_seq'));

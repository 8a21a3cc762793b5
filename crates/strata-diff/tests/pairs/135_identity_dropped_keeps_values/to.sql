CREATE TABLE t (id bigint PRIMARY KEY, a text);

INSERT INTO t (a) VALUES ('x');

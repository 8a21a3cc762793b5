CREATE TABLE t (id int PRIMARY KEY, a text);
COMMENT ON COLUMN t.a IS 'new';

CREATE TABLE t (id int PRIMARY KEY, a text);
COMMENT ON COLUMN t.a IS 'old';
COMMENT ON COLUMN t.id IS 'key';

CREATE TABLE t (id int PRIMARY KEY, a text, b int);
CREATE VIEW v AS SELECT id FROM t;
COMMENT ON COLUMN v.id IS 'the id';

-- Checks added with new columns to a table with rows: over a column added empty, a check that
-- is NULL on NULL cannot fail (validates_rows only); one that is not, or over a column with a
-- default, keeps may_fail.
CREATE TABLE t (id integer PRIMARY KEY);

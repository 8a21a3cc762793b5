-- Columns added to a table with rows, each with a foreign key: a single-column key is
-- written into its ADD COLUMN (the column is empty, nothing is checked), a key over a new and
-- an existing column or on a column with a default is added and validated as usual.
CREATE TABLE p (id integer PRIMARY KEY, org integer NOT NULL, CONSTRAINT p_id_org_key UNIQUE (id, org));
CREATE TABLE t (id integer PRIMARY KEY, org integer NOT NULL);

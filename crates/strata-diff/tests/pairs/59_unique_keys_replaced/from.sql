-- Unique keys replaced by others on the same tables, each table holding rows: under the same
-- name (a constraint becomes an expression index, a primary key gains a column) and under
-- another name (an index becomes a constraint, a primary key moves to another name).
CREATE TABLE u (email text NOT NULL, name text, CONSTRAINT u_email_key UNIQUE (email));
CREATE TABLE v (id integer NOT NULL, code text NOT NULL, CONSTRAINT v_pkey PRIMARY KEY (id));
CREATE TABLE w (code text NOT NULL, region text NOT NULL);
CREATE UNIQUE INDEX w_code_idx ON w (code);
CREATE TABLE x (id integer NOT NULL, k integer NOT NULL, CONSTRAINT x_pkey PRIMARY KEY (id));

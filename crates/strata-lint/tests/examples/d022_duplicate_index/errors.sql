CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_email_idx1 ON users (email);
-- The same as the primary key's index.
CREATE UNIQUE INDEX users_id_key ON users (id);
-- Expressions and predicates compare in the server's spelling.
CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE name <> '';
CREATE INDEX users_lower_email_idx2 ON users (LOWER(email)) WHERE (name <> '');

CREATE TABLE events (name text NOT NULL, at timestamptz NOT NULL);
-- A unique constraint is not a primary key.
CREATE TABLE tags (name text NOT NULL UNIQUE);

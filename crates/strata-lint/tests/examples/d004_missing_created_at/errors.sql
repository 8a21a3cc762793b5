CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);
-- An update timestamp is not a creation timestamp.
CREATE TABLE notes (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());

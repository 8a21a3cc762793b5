CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL, done boolean NOT NULL);
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at);
-- Another direction, another leading column, or a partial index served by nothing.
CREATE INDEX tasks_user_desc_idx ON tasks (user_id DESC);
CREATE INDEX tasks_created_idx ON tasks (created_at);
CREATE INDEX tasks_open_idx ON tasks (created_at, user_id) WHERE NOT done;
-- A unique index is not made redundant by a longer index: it enforces something.
CREATE UNIQUE INDEX tasks_user_id_key ON tasks (user_id, id);
CREATE INDEX tasks_user_id_created_idx ON tasks (user_id, id, created_at);
-- A hash index with the same column serves other queries than a btree prefix.
CREATE INDEX tasks_user_hash_idx ON tasks USING hash (user_id);

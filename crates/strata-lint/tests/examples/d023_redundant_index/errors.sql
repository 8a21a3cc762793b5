CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL, done boolean NOT NULL);
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at) INCLUDE (done);
-- A prefix.
CREATE INDEX tasks_user_idx ON tasks (user_id);
-- A prefix with INCLUDE columns the longer index has.
CREATE INDEX tasks_user_cover_idx ON tasks (user_id) INCLUDE (created_at);
-- A partial index whose predicate implies the full one's (none).
CREATE INDEX tasks_user_open_idx ON tasks (user_id) WHERE NOT done;
-- Led by the primary key's column.
CREATE INDEX tasks_id_idx ON tasks (id);
-- A predicate implying another partial index's.
CREATE INDEX tasks_created_open_idx ON tasks (created_at, id) WHERE NOT done;
CREATE INDEX tasks_created_open_recent_idx ON tasks (created_at) WHERE NOT done AND created_at > '2026-01-01';

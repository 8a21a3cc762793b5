CREATE TABLE tasks (id bigint PRIMARY KEY, completed boolean NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX tasks_completed_idx ON tasks (completed);

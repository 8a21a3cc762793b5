CREATE TABLE tasks (id bigint PRIMARY KEY, completed boolean NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX tasks_open_created_idx ON tasks (created_at) WHERE NOT completed;
CREATE INDEX tasks_completed_created_idx ON tasks (completed, created_at);
CREATE INDEX tasks_completed_open_idx ON tasks (completed) WHERE NOT completed;

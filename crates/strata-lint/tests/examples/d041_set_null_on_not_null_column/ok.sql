CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, project_id bigint REFERENCES projects ON DELETE SET NULL, fallback_id bigint NOT NULL DEFAULT 0 REFERENCES projects ON DELETE SET DEFAULT);

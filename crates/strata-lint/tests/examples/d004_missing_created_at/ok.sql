CREATE TABLE tasks (id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE tags (id bigint PRIMARY KEY, inserted_at timestamptz NOT NULL DEFAULT now(), modified_at timestamptz NOT NULL DEFAULT now());
-- A junction table is left out.
CREATE TABLE task_tags (task_id bigint REFERENCES tasks ON DELETE CASCADE, tag_id bigint REFERENCES tags ON DELETE CASCADE, PRIMARY KEY (task_id, tag_id));

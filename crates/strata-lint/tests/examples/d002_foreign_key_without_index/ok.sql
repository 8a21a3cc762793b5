CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);
CREATE INDEX tasks_user_id_created_idx ON tasks (user_id, id);
-- The primary key leads with both columns of the key, in another order.
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE members (user_id bigint REFERENCES users ON DELETE CASCADE, project_id bigint REFERENCES projects ON DELETE CASCADE, PRIMARY KEY (user_id, project_id));
CREATE INDEX members_project_idx ON members (project_id);

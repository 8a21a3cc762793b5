CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);
CREATE INDEX tasks_user_id_created_idx ON tasks (user_id, id);
-- The primary key leads with both columns of the key, in another order.
CREATE TABLE projects (id bigint PRIMARY KEY);
CREATE TABLE members (user_id bigint REFERENCES users ON DELETE CASCADE, project_id bigint REFERENCES projects ON DELETE CASCADE, PRIMARY KEY (user_id, project_id));
CREATE INDEX members_project_idx ON members (project_id);
-- A composite key carrying the tenant column is served by an index on its first column.
CREATE TABLE conversations (id bigint, user_id bigint REFERENCES users ON DELETE CASCADE, PRIMARY KEY (id), UNIQUE (id, user_id));
CREATE INDEX conversations_user_idx ON conversations (user_id);
CREATE TABLE messages (id bigint PRIMARY KEY, conversation_id bigint NOT NULL, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  FOREIGN KEY (conversation_id, user_id) REFERENCES conversations (id, user_id) ON DELETE CASCADE);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
CREATE INDEX messages_user_idx ON messages (user_id);

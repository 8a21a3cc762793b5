CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE, created_at timestamptz NOT NULL);
-- Not led by user_id.
CREATE INDEX tasks_created_user_idx ON tasks (created_at, user_id);
-- Partial: does not serve every lookup.
CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE SET NULL);
CREATE INDEX notes_user_live_idx ON notes (user_id) WHERE user_id IS NOT NULL AND id > 0;
-- An index on the key's second column only does not serve it.
CREATE TABLE conversations (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE, UNIQUE (id, user_id));
CREATE INDEX conversations_user_idx ON conversations (user_id);
CREATE TABLE messages (id bigint PRIMARY KEY, conversation_id bigint NOT NULL, user_id bigint NOT NULL,
  FOREIGN KEY (conversation_id, user_id) REFERENCES conversations (id, user_id) ON DELETE CASCADE);
CREATE INDEX messages_user_idx ON messages (user_id, id);

CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint);
CREATE TABLE sessions (user_id bigint);
CREATE VIEW idle_users AS SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id);
CREATE VIEW some_users AS SELECT id FROM users WHERE id NOT IN (1, 2, 3) AND id IN (SELECT user_id FROM sessions);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON users USING (id IN (SELECT user_id FROM sessions));

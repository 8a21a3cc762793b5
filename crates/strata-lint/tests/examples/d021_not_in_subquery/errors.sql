CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint);
CREATE TABLE sessions (user_id bigint);
CREATE VIEW idle_users AS SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM sessions);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_hidden ON users USING (id NOT IN (SELECT user_id FROM sessions));

CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE, user_code text REFERENCES users (code) ON DELETE CASCADE, reviewer_id bigint REFERENCES users ON DELETE SET NULL);

CREATE TABLE users (id bigint PRIMARY KEY, code varchar(10) UNIQUE);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE, user_code varchar(10) REFERENCES users (code) ON DELETE SET NULL);

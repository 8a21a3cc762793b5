CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id integer REFERENCES users ON DELETE CASCADE, user_code varchar(20) REFERENCES users (code) ON DELETE SET NULL);

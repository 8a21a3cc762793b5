CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE);
CREATE TABLE logs (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE RESTRICT);

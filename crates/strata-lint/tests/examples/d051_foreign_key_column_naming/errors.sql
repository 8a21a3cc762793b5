CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, owner bigint REFERENCES users ON DELETE CASCADE, reviewer bigint REFERENCES users ON DELETE SET NULL);

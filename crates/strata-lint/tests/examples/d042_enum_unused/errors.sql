CREATE TYPE task_state AS ENUM ('todo', 'done');
CREATE TABLE tasks (id bigint PRIMARY KEY, completed boolean NOT NULL, task_state_note text);

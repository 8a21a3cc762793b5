CREATE TYPE status AS ENUM ('todo', 'done');
CREATE TABLE task (id int PRIMARY KEY, s status NOT NULL DEFAULT 'todo');

CREATE TYPE status AS ENUM ('todo', 'doing', 'done');
CREATE TABLE task (id int PRIMARY KEY, s status NOT NULL DEFAULT 'todo', prev status[]);

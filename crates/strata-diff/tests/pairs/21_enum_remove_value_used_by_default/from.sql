CREATE TYPE status AS ENUM ('todo', 'doing', 'done', 'archived');
CREATE TABLE task (id int PRIMARY KEY, s status NOT NULL DEFAULT 'archived', prev status[]);
INSERT INTO task VALUES (1, 'todo', '{done}');

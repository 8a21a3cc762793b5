CREATE TABLE tasks (id int PRIMARY KEY, title text NOT NULL);
CREATE TABLE task_details (
  task_id int PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
  description text,
  notes text
);

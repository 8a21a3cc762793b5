CREATE TABLE tasks (id int PRIMARY KEY, title text NOT NULL, description text, notes text);

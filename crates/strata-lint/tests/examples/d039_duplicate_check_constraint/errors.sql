CREATE TABLE tasks (id bigint PRIMARY KEY, priority int CHECK (priority >= 0));
ALTER TABLE tasks ADD CONSTRAINT priority_positive CHECK (priority >= 0);

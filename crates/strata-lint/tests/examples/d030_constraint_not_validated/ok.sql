CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint, priority int);
ALTER TABLE tasks ADD CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id) REFERENCES users ON DELETE CASCADE NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_user_id_fkey;
ALTER TABLE tasks ADD CONSTRAINT tasks_priority_check CHECK (priority >= 0);

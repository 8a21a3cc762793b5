CREATE TABLE tasks (id bigint PRIMARY KEY, priority int CHECK (priority >= 0), effort int CHECK (effort >= 0));

CREATE TABLE members (user_id bigint, project_id bigint, PRIMARY KEY (user_id, project_id));
CREATE INDEX members_project_idx ON members (project_id, user_id);
-- Unique on a subset is a different (stronger) rule, not the same one twice.
CREATE TABLE seats (id bigint PRIMARY KEY, user_id bigint NOT NULL, row_no int NOT NULL, UNIQUE (user_id, row_no), UNIQUE (user_id));

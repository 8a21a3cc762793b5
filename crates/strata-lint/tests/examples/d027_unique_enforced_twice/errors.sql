CREATE TABLE members (user_id bigint, project_id bigint, PRIMARY KEY (user_id, project_id));
CREATE UNIQUE INDEX members_project_user_key ON members (project_id, user_id);
CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, UNIQUE (a, b), UNIQUE (b, a));

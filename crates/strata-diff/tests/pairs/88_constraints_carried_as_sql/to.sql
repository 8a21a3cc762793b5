CREATE DOMAIN positive_amount AS numeric;
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_check CHECK (VALUE > 0) NOT VALID;
CREATE TABLE projects (tenant_id integer NOT NULL, id integer NOT NULL, name text NOT NULL, budget positive_amount,
    PRIMARY KEY (tenant_id, id), CONSTRAINT projects_name_key UNIQUE (tenant_id, name) INCLUDE (budget));
CREATE TABLE tasks (tenant_id integer NOT NULL, id integer PRIMARY KEY, project_id integer,
    CONSTRAINT tasks_project_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE SET NULL (project_id));

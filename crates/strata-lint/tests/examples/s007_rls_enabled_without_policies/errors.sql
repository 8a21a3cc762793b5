CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;

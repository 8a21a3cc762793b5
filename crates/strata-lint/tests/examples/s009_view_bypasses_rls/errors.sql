CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, archived boolean NOT NULL DEFAULT false);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE VIEW open_projects AS SELECT id FROM projects WHERE NOT archived;

CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);

CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE POLICY projects_all ON projects USING (true);
CREATE POLICY projects_read ON projects FOR SELECT TO PUBLIC USING (true);
CREATE POLICY projects_insert ON projects FOR INSERT WITH CHECK (true);

CREATE TABLE tenants (id uuid PRIMARY KEY);
CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
-- No tenant column, no RLS needed.
CREATE TABLE countries (code text PRIMARY KEY);

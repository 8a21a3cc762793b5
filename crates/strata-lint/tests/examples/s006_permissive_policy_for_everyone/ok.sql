CREATE ROLE lint_admin_role NOLOGIN;
CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
-- Open for one role on purpose.
CREATE POLICY projects_admin ON projects TO lint_admin_role USING (true);
-- A restrictive policy that is true restricts nothing, and opens nothing either.
CREATE POLICY projects_noop ON projects AS RESTRICTIVE USING (true);

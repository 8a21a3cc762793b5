CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, archived boolean NOT NULL DEFAULT false);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE VIEW open_projects WITH (security_invoker = true) AS SELECT id FROM projects WHERE NOT archived;
CREATE TABLE countries (code text PRIMARY KEY);
CREATE VIEW country_codes AS SELECT code FROM countries;
-- A name that only starts like the protected table's.
CREATE TABLE projects_archive (id bigint PRIMARY KEY);
CREATE VIEW old_projects AS SELECT id FROM projects_archive;

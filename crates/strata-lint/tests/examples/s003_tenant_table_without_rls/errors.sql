CREATE TABLE tenants (id uuid PRIMARY KEY);
CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants ON DELETE CASCADE);
-- Another table of the schema isolates tenants, this one does not.
CREATE TABLE documents (id bigint PRIMARY KEY, organization_id uuid NOT NULL);
CREATE TABLE notes (id bigint PRIMARY KEY, organization_id uuid NOT NULL);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_org ON notes USING (organization_id = current_setting('app.org')::uuid);

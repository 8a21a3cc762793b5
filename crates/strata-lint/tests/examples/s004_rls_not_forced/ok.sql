CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id')::uuid);
-- An audit log written by a SECURITY DEFINER trigger function relies on its owner.
CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id uuid, row_data jsonb);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (tenant_id = current_setting('app.tenant_id')::uuid);
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN INSERT INTO public.audit_log (tenant_id, row_data) VALUES (NEW.tenant_id, to_jsonb(NEW)); RETURN NEW; END $$;

-- 0001_initial (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0001_initial.
-- create enum public.invoice_status
--   lock: none
CREATE TYPE public.invoice_status AS ENUM ('draft', 'sent', 'paid', 'void');

-- comment on type public.invoice_status
--   lock: none
COMMENT ON TYPE public.invoice_status IS 'Where an invoice is in its life.';

-- create enum public.member_role
--   lock: none
CREATE TYPE public.member_role AS ENUM ('owner', 'admin', 'accountant', 'viewer');

-- comment on type public.member_role
--   lock: none
COMMENT ON TYPE public.member_role IS 'What a member may do in an organization.';

-- create function public.audit_row_change()
--   lock: none
CREATE OR REPLACE FUNCTION public.audit_row_change()
    RETURNS trigger
    LANGUAGE plpgsql
    VOLATILE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
AS $body$
DECLARE
  redacted text[] := TG_ARGV[1]::text[];
  old_row jsonb;
  new_row jsonb;
  key_text text;
  tenant text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_row := pg_catalog.to_jsonb(OLD);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_row := pg_catalog.to_jsonb(NEW);
  END IF;
  IF TG_ARGV[2] <> '' THEN
    tenant := COALESCE(new_row, old_row) ->> TG_ARGV[2];
  END IF;
  old_row := old_row - redacted;
  new_row := new_row - redacted;
  SELECT pg_catalog.string_agg(COALESCE(new_row, old_row) ->> k, ',')
    INTO key_text
    FROM pg_catalog.unnest(TG_ARGV[0]::text[]) AS k;
  INSERT INTO public.audit_log (table_name, record_id, action, old_data, new_data, actor_id, tenant_id)
  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, COALESCE(key_text, ''), TG_OP, old_row, new_row,
          COALESCE(NULLIF(pg_catalog.current_setting('app.user_id', true), ''), session_user::text), tenant);
  RETURN NULL;
END;
$body$;

-- comment on function public.audit_row_change()
--   lock: none
COMMENT ON FUNCTION public.audit_row_change() IS 'Writes one audit_log row per changed row; TG_ARGV: key columns, redacted columns, tenant column.';

-- create function public.set_updated_at()
--   lock: none
CREATE OR REPLACE FUNCTION public.set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
    VOLATILE
AS $body$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$body$;

-- comment on function public.set_updated_at()
--   lock: none
COMMENT ON FUNCTION public.set_updated_at() IS 'Sets updated_at to the transaction time on UPDATE.';

-- create table public.audit_log
--   lock: none
CREATE TABLE public.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    table_name text NOT NULL,
    record_id text NOT NULL,
    action text NOT NULL,
    old_data jsonb,
    new_data jsonb,
    actor_id text,
    tenant_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_action_values CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

-- create index public.idx_audit_log_created_at
--   lock: none
CREATE INDEX idx_audit_log_created_at ON public.audit_log USING brin (created_at);

-- create index public.idx_audit_log_table_name_record_id
--   lock: none
CREATE INDEX idx_audit_log_table_name_record_id ON public.audit_log USING btree (table_name, record_id);

-- create policy audit_log_tenant_read on public.audit_log
--   lock: none
CREATE POLICY audit_log_tenant_read ON public.audit_log
    AS PERMISSIVE
    FOR SELECT
    TO PUBLIC
    USING ((tenant_id = NULLIF(current_setting('app.current_org_id'::text, true), ''::text)));

-- comment on table public.audit_log
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.audit_log IS 'Every INSERT, UPDATE and DELETE on audited tables, written by triggers.';

-- comment on column public.audit_log.table_name
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.table_name IS 'Schema-qualified table that changed.';

-- comment on column public.audit_log.record_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.record_id IS 'Primary key of the changed row, as text.';

-- comment on column public.audit_log.action
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.action IS 'INSERT, UPDATE or DELETE.';

-- comment on column public.audit_log.old_data
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.old_data IS 'The row before the change (secrets removed).';

-- comment on column public.audit_log.new_data
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.new_data IS 'The row after the change (secrets removed).';

-- comment on column public.audit_log.actor_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.actor_id IS 'Who made the change: the actor setting, else the database role.';

-- comment on column public.audit_log.tenant_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.tenant_id IS 'Tenant of the changed row; each tenant reads only its own history.';

-- create table public.customers
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.customers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    email text,
    tax_number text,
    address text,
    city text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_id_organization_id_key UNIQUE (id, organization_id),
    CONSTRAINT customers_address_length CHECK ((char_length(address) <= 500)),
    CONSTRAINT customers_city_length CHECK ((char_length(city) <= 100)),
    CONSTRAINT customers_email_format CHECK (((email ~* '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (char_length(email) <= 254))),
    CONSTRAINT customers_name_length CHECK ((char_length(name) <= 200)),
    CONSTRAINT customers_tax_number_length CHECK ((char_length(tax_number) <= 40))
);
ALTER TABLE public.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.customers FORCE ROW LEVEL SECURITY;

-- create index public.idx_customers_organization_id
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_customers_organization_id ON public.customers USING btree (organization_id);

-- create index public.idx_customers_organization_id_name
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_customers_organization_id_name ON public.customers USING btree (organization_id, name) WHERE ((deleted_at IS NULL));

-- create trigger customers_audit on public.customers
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER customers_audit
    AFTER INSERT OR UPDATE OR DELETE ON public.customers
    FOR EACH ROW
    EXECUTE FUNCTION public.audit_row_change('{id}', '{}', 'organization_id');

-- create trigger customers_set_updated_at on public.customers
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER customers_set_updated_at
    BEFORE UPDATE ON public.customers
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy customers_tenant_isolation on public.customers
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY customers_tenant_isolation ON public.customers
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.customers
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.customers IS 'Someone an organization bills.';

-- comment on column public.customers.tax_number
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.tax_number IS 'The customer''s tax or VAT number, if known.';

-- comment on column public.customers.address
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.address IS 'Postal address.';

-- comment on column public.customers.created_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.created_at IS 'When the row was created.';

-- comment on column public.customers.updated_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.updated_at IS 'When the row was last changed; kept by a trigger.';

-- comment on column public.customers.deleted_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.deleted_at IS 'When the row was soft-deleted; NULL while it is live.';

-- create table public.invoice_lines
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.invoice_lines (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    description text NOT NULL,
    quantity numeric(12,3) NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invoice_lines_pkey PRIMARY KEY (id),
    CONSTRAINT invoice_lines_description_length CHECK ((char_length(description) <= 500)),
    CONSTRAINT invoice_lines_quantity_check CHECK ((quantity > (0)::numeric))
);
ALTER TABLE public.invoice_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_lines FORCE ROW LEVEL SECURITY;

-- create index public.idx_invoice_lines_invoice_id
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoice_lines_invoice_id ON public.invoice_lines USING btree (invoice_id);

-- create index public.idx_invoice_lines_organization_id
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoice_lines_organization_id ON public.invoice_lines USING btree (organization_id);

-- create policy invoice_lines_tenant_isolation on public.invoice_lines
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoice_lines_tenant_isolation ON public.invoice_lines
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.invoice_lines
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.invoice_lines IS 'One line of an invoice.';

-- comment on column public.invoice_lines.created_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_lines.created_at IS 'When the row was created.';

-- create table public.invoices
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.invoices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    number text NOT NULL,
    status public.invoice_status DEFAULT 'draft'::public.invoice_status NOT NULL,
    issued_on date,
    due_on date,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT invoices_pkey PRIMARY KEY (id),
    CONSTRAINT invoices_id_organization_id_key UNIQUE (id, organization_id),
    CONSTRAINT invoices_organization_id_number_key UNIQUE (organization_id, number),
    CONSTRAINT due_after_issue CHECK (((due_on IS NULL) OR (issued_on IS NULL) OR (due_on >= issued_on))),
    CONSTRAINT invoices_number_length CHECK ((char_length(number) <= 30))
);
ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;

-- create foreign key public.invoice_lines.invoice_lines_invoice_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id, organization_id) REFERENCES public.invoices (id, organization_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.invoice_lines FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;

-- create foreign key public.invoices.invoices_customer_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices
    ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY (customer_id, organization_id) REFERENCES public.customers (id, organization_id) ON DELETE RESTRICT ON UPDATE NO ACTION;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customers FORCE ROW LEVEL SECURITY;

-- create index public.idx_invoices_customer_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoices_customer_id ON public.invoices USING btree (customer_id);

-- create index public.idx_invoices_customer_id_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoices_customer_id_created_at ON public.invoices USING btree (customer_id, created_at DESC) INCLUDE (id, number, status, total) WHERE ((deleted_at IS NULL));

-- create index public.idx_invoices_organization_id_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoices_organization_id_created_at ON public.invoices USING btree (organization_id, created_at DESC) INCLUDE (id, number, total) WHERE (((status = 'draft'::public.invoice_status) AND (deleted_at IS NULL)));

-- create trigger invoices_audit on public.invoices
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER invoices_audit
    AFTER INSERT OR UPDATE OR DELETE ON public.invoices
    FOR EACH ROW
    EXECUTE FUNCTION public.audit_row_change('{id}', '{}', 'organization_id');

-- create trigger invoices_set_updated_at on public.invoices
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER invoices_set_updated_at
    BEFORE UPDATE ON public.invoices
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy invoices_tenant_isolation on public.invoices
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoices_tenant_isolation ON public.invoices
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.invoices
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.invoices IS 'A bill sent to a customer.';

-- comment on column public.invoices.number
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.number IS 'The organization''s invoice number, shown to the customer.';

-- comment on column public.invoices.total
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.total IS 'Sum of the lines, kept by the application.';

-- comment on column public.invoices.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.created_at IS 'When the row was created.';

-- comment on column public.invoices.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.updated_at IS 'When the row was last changed; kept by a trigger.';

-- comment on column public.invoices.deleted_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.deleted_at IS 'When the row was soft-deleted; NULL while it is live.';

-- create table public.members
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.members (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    role public.member_role DEFAULT 'viewer'::public.member_role NOT NULL,
    password_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT members_pkey PRIMARY KEY (id),
    CONSTRAINT members_organization_id_email_key UNIQUE (organization_id, email),
    CONSTRAINT members_email_format CHECK (((email ~* '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (char_length(email) <= 254))),
    CONSTRAINT members_name_length CHECK ((char_length(name) <= 100)),
    CONSTRAINT members_password_hash_not_blank CHECK ((char_length(password_hash) > 0))
);
ALTER TABLE public.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.members FORCE ROW LEVEL SECURITY;

-- create index public.idx_members_organization_id_name
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_members_organization_id_name ON public.members USING btree (organization_id, name) INCLUDE (id, role);

-- create trigger members_set_updated_at on public.members
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER members_set_updated_at
    BEFORE UPDATE ON public.members
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy members_tenant_isolation on public.members
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY members_tenant_isolation ON public.members
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.members
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.members IS 'A person who belongs to an organization.';

-- comment on column public.members.email
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.members.email IS 'Sign-in address, unique within the organization.';

-- comment on column public.members.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.members.created_at IS 'When the row was created.';

-- comment on column public.members.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.members.updated_at IS 'When the row was last changed; kept by a trigger.';

-- create table public.organizations
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.organizations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organizations_pkey PRIMARY KEY (id),
    CONSTRAINT organizations_slug_key UNIQUE (slug),
    CONSTRAINT organizations_name_check CHECK ((char_length(TRIM(BOTH FROM name)) > 0)),
    CONSTRAINT organizations_name_length CHECK ((char_length(name) <= 200)),
    CONSTRAINT organizations_slug_format CHECK (((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text) AND (char_length(slug) <= 100)))
);
ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create foreign key public.customers.customers_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customers
    ADD CONSTRAINT customers_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.customers FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create foreign key public.invoice_lines.invoice_lines_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_lines
    ADD CONSTRAINT invoice_lines_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.invoice_lines FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create foreign key public.invoices.invoices_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices
    ADD CONSTRAINT invoices_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create foreign key public.members.members_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.members NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.members
    ADD CONSTRAINT members_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.members FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create trigger organizations_set_updated_at on public.organizations
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER organizations_set_updated_at
    BEFORE UPDATE ON public.organizations
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy organizations_tenant_isolation on public.organizations
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY organizations_tenant_isolation ON public.organizations
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.organizations
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.organizations IS 'A company using the service: the tenant.';

-- comment on column public.organizations.name
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.organizations.name IS 'Display name.';

-- comment on column public.organizations.slug
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.organizations.slug IS 'Short handle used in URLs.';

-- comment on column public.organizations.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.organizations.created_at IS 'When the row was created.';

-- comment on column public.organizations.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.organizations.updated_at IS 'When the row was last changed; kept by a trigger.';

-- create table public.payments
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.payments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    amount numeric(12,2) NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    reference text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_organization_id_reference_key UNIQUE (organization_id, reference),
    CONSTRAINT payments_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT payments_reference_length CHECK ((char_length(reference) <= 100))
);
ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;

-- create foreign key public.payments.payments_invoice_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.payments
    ADD CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id, organization_id) REFERENCES public.invoices (id, organization_id) ON DELETE RESTRICT ON UPDATE NO ACTION;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoices FORCE ROW LEVEL SECURITY;

-- create foreign key public.payments.payments_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.payments
    ADD CONSTRAINT payments_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create index public.idx_payments_invoice_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_payments_invoice_id ON public.payments USING btree (invoice_id);

-- create index public.idx_payments_organization_id_received_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_payments_organization_id_received_at ON public.payments USING btree (organization_id, received_at DESC);

-- create trigger payments_audit on public.payments
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER payments_audit
    AFTER INSERT OR UPDATE OR DELETE ON public.payments
    FOR EACH ROW
    EXECUTE FUNCTION public.audit_row_change('{id}', '{}', 'organization_id');

-- create policy payments_tenant_isolation on public.payments
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY payments_tenant_isolation ON public.payments
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.payments
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.payments IS 'Money received against an invoice.';

-- comment on column public.payments.reference
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.payments.reference IS 'The payment provider''s reference, unique per organization.';

-- comment on column public.payments.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.payments.created_at IS 'When the row was created.';

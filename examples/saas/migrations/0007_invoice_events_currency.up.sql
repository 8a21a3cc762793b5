-- 0007_invoice_events_currency (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0007_invoice_events_currency.
-- create domain public.currency_code
--   lock: none
CREATE DOMAIN public.currency_code AS text
    CONSTRAINT currency_code_check CHECK ((VALUE ~ '^[A-Z]{3}$'::text));

-- comment on domain public.currency_code
--   lock: none
COMMENT ON DOMAIN public.currency_code IS 'An ISO 4217 currency code: three capital letters.';

-- create table public.invoice_events
--   lock: SHARE ROW EXCLUSIVE
SET LOCAL lock_timeout = '5s';
CREATE TABLE public.invoice_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    kind text NOT NULL,
    amount numeric(12,2),
    currency public.currency_code,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invoice_events_pkey PRIMARY KEY (id, occurred_at),
    CONSTRAINT invoice_events_kind_length CHECK ((char_length(kind) <= 40)),
    CONSTRAINT invoice_events_invoice_id_fkey FOREIGN KEY (invoice_id, organization_id) REFERENCES public.invoices (id, organization_id) ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT invoice_events_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION
) PARTITION BY RANGE (occurred_at);
ALTER TABLE public.invoice_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_events FORCE ROW LEVEL SECURITY;

-- create index public.idx_invoice_events_invoice_id_occurred_at
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoice_events_invoice_id_occurred_at ON public.invoice_events USING btree (invoice_id, occurred_at DESC) INCLUDE (kind, amount, currency);

-- create index public.idx_invoice_events_organization_id_occurred_at
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_invoice_events_organization_id_occurred_at ON public.invoice_events USING btree (organization_id, occurred_at DESC) INCLUDE (invoice_id, kind);

-- create policy invoice_events_tenant_isolation on public.invoice_events
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoice_events_tenant_isolation ON public.invoice_events
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.invoice_events
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.invoice_events IS 'What happened to an invoice (sent, viewed, reminded, paid...), one row per event: an
append-only history partitioned by year, so old years can be detached and archived.';

-- comment on column public.invoice_events.kind
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events.kind IS 'What happened, in the application''s words.';

-- comment on column public.invoice_events.amount
--   lock: SHARE ROW EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events.amount IS 'The amount involved, if any, in `currency`.';

-- create table public.invoice_events_later
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
CREATE TABLE public.invoice_events_later PARTITION OF public.invoice_events DEFAULT;
ALTER TABLE public.invoice_events_later ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_events_later FORCE ROW LEVEL SECURITY;

-- create policy invoice_events_tenant_isolation on public.invoice_events_later
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoice_events_tenant_isolation ON public.invoice_events_later
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on column public.invoice_events_later.kind
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_later.kind IS 'What happened, in the application''s words.';

-- comment on column public.invoice_events_later.amount
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_later.amount IS 'The amount involved, if any, in `currency`.';

-- create table public.invoice_events_y2024
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
CREATE TABLE public.invoice_events_y2024 PARTITION OF public.invoice_events FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
ALTER TABLE public.invoice_events_y2024 ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_events_y2024 FORCE ROW LEVEL SECURITY;

-- create policy invoice_events_tenant_isolation on public.invoice_events_y2024
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoice_events_tenant_isolation ON public.invoice_events_y2024
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on column public.invoice_events_y2024.kind
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_y2024.kind IS 'What happened, in the application''s words.';

-- comment on column public.invoice_events_y2024.amount
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_y2024.amount IS 'The amount involved, if any, in `currency`.';

-- create table public.invoice_events_y2025
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
CREATE TABLE public.invoice_events_y2025 PARTITION OF public.invoice_events FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
ALTER TABLE public.invoice_events_y2025 ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_events_y2025 FORCE ROW LEVEL SECURITY;

-- create policy invoice_events_tenant_isolation on public.invoice_events_y2025
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY invoice_events_tenant_isolation ON public.invoice_events_y2025
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on column public.invoice_events_y2025.kind
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_y2025.kind IS 'What happened, in the application''s words.';

-- comment on column public.invoice_events_y2025.amount
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoice_events_y2025.amount IS 'The amount involved, if any, in `currency`.';

-- create column public.invoices.currency
--   lock: ACCESS EXCLUSIVE; hazards: rewrites_table, long_lock
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices ADD COLUMN currency public.currency_code DEFAULT ('EUR'::text)::public.currency_code NOT NULL;

-- comment on column public.invoices.currency
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.currency IS 'The currency the invoice is billed in.';

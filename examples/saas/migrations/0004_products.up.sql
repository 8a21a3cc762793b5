-- 0004_products (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0004_products.
-- strata:allow-hazard long_lock
-- strata:allow-hazard validates_rows
-- strata:allow-hazard may_fail
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- create column public.invoice_lines.product_id
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines ADD COLUMN product_id uuid;

COMMIT;

-- create index public.idx_invoice_lines_product_id concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_invoice_lines_product_id ON public.invoice_lines USING btree (product_id);
RESET lock_timeout;

BEGIN;
-- create table public.products
--   lock: none
CREATE TABLE public.products (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    sku text NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_id_organization_id_key UNIQUE (id, organization_id),
    CONSTRAINT products_organization_id_sku_key UNIQUE (organization_id, sku),
    CONSTRAINT products_name_length CHECK ((char_length(name) <= 200)),
    CONSTRAINT products_sku_length CHECK ((char_length(sku) <= 40))
);
ALTER TABLE public.products ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.products FORCE ROW LEVEL SECURITY;

-- create foreign key public.invoice_lines.invoice_lines_product_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE; hazards: long_lock, validates_rows, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.products NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.invoice_lines
    ADD CONSTRAINT invoice_lines_product_id_fkey FOREIGN KEY (product_id, organization_id) REFERENCES public.products (id, organization_id) ON DELETE RESTRICT ON UPDATE NO ACTION;
ALTER TABLE public.invoice_lines FORCE ROW LEVEL SECURITY;
ALTER TABLE public.products FORCE ROW LEVEL SECURITY;

-- create foreign key public.products.products_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.products NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.products
    ADD CONSTRAINT products_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.products FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create index public.idx_products_organization_id_name
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_products_organization_id_name ON public.products USING btree (organization_id, name) INCLUDE (id, unit_price) WHERE ((deleted_at IS NULL));

-- create trigger products_set_updated_at on public.products
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER products_set_updated_at
    BEFORE UPDATE ON public.products
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy products_tenant_isolation on public.products
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY products_tenant_isolation ON public.products
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.products
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.products IS 'Something an organization sells.';

-- comment on column public.products.sku
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.products.sku IS 'The organization''s stock-keeping unit.';

-- comment on column public.products.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.products.created_at IS 'When the row was created.';

-- comment on column public.products.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.products.updated_at IS 'When the row was last changed; kept by a trigger.';

-- comment on column public.products.deleted_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.products.deleted_at IS 'When the row was soft-deleted; NULL while it is live.';

COMMIT;

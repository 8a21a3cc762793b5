-- 0005_split_customer_address (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0005_split_customer_address.
-- strata:allow-hazard deletes_data
-- strata:allow-hazard breaks_clients
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the addresses are
-- copied after the new table is created and before the old columns are dropped, all in this
-- migration's transaction; deletes_data is allowed because the data is copied first.
-- drop check constraint public.customers.customers_city_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP CONSTRAINT customers_city_length;

-- drop check constraint public.customers.customers_address_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP CONSTRAINT customers_address_length;

-- create table public.customer_addresses
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.customer_addresses (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    address text NOT NULL,
    city text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customer_addresses_pkey PRIMARY KEY (id),
    CONSTRAINT customer_addresses_customer_id_key UNIQUE (customer_id),
    CONSTRAINT customer_addresses_address_length CHECK ((char_length(address) <= 500)),
    CONSTRAINT customer_addresses_city_length CHECK ((char_length(city) <= 100))
);
ALTER TABLE public.customer_addresses ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;

-- create foreign key public.customer_addresses.customer_addresses_customer_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer_addresses
    ADD CONSTRAINT customer_addresses_customer_id_fkey FOREIGN KEY (customer_id, organization_id) REFERENCES public.customers (id, organization_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customers FORCE ROW LEVEL SECURITY;

-- create foreign key public.customer_addresses.customer_addresses_organization_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer_addresses
    ADD CONSTRAINT customer_addresses_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- create index public.idx_customer_addresses_organization_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_customer_addresses_organization_id ON public.customer_addresses USING btree (organization_id);

-- create trigger customer_addresses_set_updated_at on public.customer_addresses
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER customer_addresses_set_updated_at
    BEFORE UPDATE ON public.customer_addresses
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy customer_addresses_tenant_isolation on public.customer_addresses
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY customer_addresses_tenant_isolation ON public.customer_addresses
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid))
    WITH CHECK ((organization_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid));

-- comment on table public.customer_addresses
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.customer_addresses IS 'Where a customer receives paper mail; split out of customers, which most queries read.';

-- comment on column public.customer_addresses.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customer_addresses.created_at IS 'When the row was created.';

-- comment on column public.customer_addresses.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customer_addresses.updated_at IS 'When the row was last changed; kept by a trigger.';

-- copy the addresses into the new table (hand-written). The owner must read every
-- tenant's customers: their forced row-level security is lifted in this transaction only.
ALTER TABLE public.customers NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer_addresses NO FORCE ROW LEVEL SECURITY;
INSERT INTO public.customer_addresses (organization_id, customer_id, address, city)
SELECT organization_id, id, address, city FROM public.customers WHERE address IS NOT NULL;
ALTER TABLE public.customers FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;

-- drop column public.customers.city
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP COLUMN city;

-- drop column public.customers.address
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP COLUMN address;

-- 0009_receipts_merged_address (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0009_receipts_merged_address.
-- strata:allow-hazard deletes_data
-- strata:allow-hazard breaks_clients
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the city is folded
-- into the address (widened first) before its column is dropped; deletes_data is allowed
-- because the data is moved first.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- rename table payments to receipts
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME TO receipts;

-- rename index idx_payments_invoice_id to idx_receipts_invoice_id (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_payments_invoice_id RENAME TO idx_receipts_invoice_id;

-- rename index idx_payments_organization_id_received_at to idx_receipts_organization_id_received_at (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_payments_organization_id_received_at RENAME TO idx_receipts_organization_id_received_at;

-- rename constraint payments_pkey to receipts_pkey (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_pkey TO receipts_pkey;

-- rename constraint payments_organization_id_reference_key to receipts_organization_id_reference_key (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_organization_id_reference_key TO receipts_organization_id_reference_key;

-- rename constraint payments_amount_check to receipts_amount_check (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_amount_check TO receipts_amount_check;

-- rename constraint payments_reference_length to receipts_reference_length (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_reference_length TO receipts_reference_length;

-- rename constraint payments_invoice_id_fkey to receipts_invoice_id_fkey (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_invoice_id_fkey TO receipts_invoice_id_fkey;

-- rename constraint payments_organization_id_fkey to receipts_organization_id_fkey (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME CONSTRAINT payments_organization_id_fkey TO receipts_organization_id_fkey;

-- rename trigger payments_audit to receipts_audit (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TRIGGER payments_audit ON public.receipts RENAME TO receipts_audit;

-- rename policy payments_tenant_isolation to receipts_tenant_isolation (named after the renamed table payments)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER POLICY payments_tenant_isolation ON public.receipts RENAME TO receipts_tenant_isolation;

-- drop check constraint public.customer_addresses.customer_addresses_city_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP CONSTRAINT customer_addresses_city_length;

-- drop check constraint public.customer_addresses.customer_addresses_address_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP CONSTRAINT customer_addresses_address_length;

-- rename the NOT NULL constraint of receipts.id to receipts_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_id_not_null TO receipts_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.organization_id to receipts_organization_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_organization_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_organization_id_not_null TO receipts_organization_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.invoice_id to receipts_invoice_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_invoice_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_invoice_id_not_null TO receipts_invoice_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.amount to receipts_amount_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_amount_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_amount_not_null TO receipts_amount_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.received_at to receipts_received_at_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_received_at_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_received_at_not_null TO receipts_received_at_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.reference to receipts_reference_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_reference_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_reference_not_null TO receipts_reference_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of receipts.created_at to receipts_created_at_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.receipts'::regclass AND conname = 'payments_created_at_not_null' AND contype = 'n') THEN
        ALTER TABLE public.receipts RENAME CONSTRAINT payments_created_at_not_null TO receipts_created_at_not_null;
    END IF;
END$strata$;

-- create check constraint public.customer_addresses.customer_addresses_address_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses
    ADD CONSTRAINT customer_addresses_address_length CHECK ((char_length(address) <= 700)) NOT VALID;

COMMIT;

-- validate check constraint public.customer_addresses.customer_addresses_address_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customer_addresses VALIDATE CONSTRAINT customer_addresses_address_length;
RESET lock_timeout;

BEGIN;
-- comment on column public.customer_addresses.address
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customer_addresses.address IS 'The whole postal address, city included (the city was a field of its own until the
addresses of other countries did not fit it).';

-- HAND-EDITED (merge): every tenant's city joins its address, with forced row-level
-- security lifted for the statement (the runner's row_security = off makes a filtered
-- update fail instead of skipping rows).
ALTER TABLE public.customer_addresses NO FORCE ROW LEVEL SECURITY;
UPDATE public.customer_addresses SET address = address || ', ' || city WHERE city IS NOT NULL;
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;

-- drop column public.customer_addresses.city
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP COLUMN city;

COMMIT;

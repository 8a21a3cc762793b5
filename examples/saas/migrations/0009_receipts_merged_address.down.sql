-- 0009_receipts_merged_address (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0009_receipts_merged_address.
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the city is split
-- back out of the address before the address is held to 500 characters again.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- rename table receipts to payments
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.receipts RENAME TO payments;

-- rename index idx_receipts_invoice_id to idx_payments_invoice_id (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_receipts_invoice_id RENAME TO idx_payments_invoice_id;

-- rename index idx_receipts_organization_id_received_at to idx_payments_organization_id_received_at (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_receipts_organization_id_received_at RENAME TO idx_payments_organization_id_received_at;

-- rename constraint receipts_pkey to payments_pkey (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_pkey TO payments_pkey;

-- rename constraint receipts_organization_id_reference_key to payments_organization_id_reference_key (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_organization_id_reference_key TO payments_organization_id_reference_key;

-- rename constraint receipts_amount_check to payments_amount_check (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_amount_check TO payments_amount_check;

-- rename constraint receipts_reference_length to payments_reference_length (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_reference_length TO payments_reference_length;

-- rename constraint receipts_invoice_id_fkey to payments_invoice_id_fkey (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_invoice_id_fkey TO payments_invoice_id_fkey;

-- rename constraint receipts_organization_id_fkey to payments_organization_id_fkey (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.payments RENAME CONSTRAINT receipts_organization_id_fkey TO payments_organization_id_fkey;

-- rename trigger receipts_audit to payments_audit (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TRIGGER receipts_audit ON public.payments RENAME TO payments_audit;

-- rename policy receipts_tenant_isolation to payments_tenant_isolation (named after the renamed table receipts)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER POLICY receipts_tenant_isolation ON public.payments RENAME TO payments_tenant_isolation;

-- remove comment on column public.customer_addresses.address
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customer_addresses.address IS NULL;

-- drop check constraint public.customer_addresses.customer_addresses_address_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses DROP CONSTRAINT customer_addresses_address_length;

-- rename the NOT NULL constraint of payments.id to payments_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_id_not_null TO payments_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.organization_id to payments_organization_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_organization_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_organization_id_not_null TO payments_organization_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.invoice_id to payments_invoice_id_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_invoice_id_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_invoice_id_not_null TO payments_invoice_id_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.amount to payments_amount_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_amount_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_amount_not_null TO payments_amount_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.received_at to payments_received_at_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_received_at_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_received_at_not_null TO payments_received_at_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.reference to payments_reference_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_reference_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_reference_not_null TO payments_reference_not_null;
    END IF;
END$strata$;

-- rename the NOT NULL constraint of payments.created_at to payments_created_at_not_null
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DO $strata$BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'public.payments'::regclass AND conname = 'receipts_created_at_not_null' AND contype = 'n') THEN
        ALTER TABLE public.payments RENAME CONSTRAINT receipts_created_at_not_null TO payments_created_at_not_null;
    END IF;
END$strata$;

-- create column public.customer_addresses.city
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses ADD COLUMN city text;

-- HAND-EDITED (split back): the last ", " part of an address, up to 100 characters, is the
-- city again, for every tenant (forced row-level security lifted for the statement). The
-- merge kept no trace of where a city began: an address that had a comma and no city comes
-- back split at its last comma.
ALTER TABLE public.customer_addresses NO FORCE ROW LEVEL SECURITY;
UPDATE public.customer_addresses
   SET city = substring(address from '^.*, (.{1,100})$'),
       address = substring(address from '^(.*), .{1,100}$')
 WHERE address ~ '^.*, .{1,100}$';
ALTER TABLE public.customer_addresses FORCE ROW LEVEL SECURITY;

-- create check constraint public.customer_addresses.customer_addresses_address_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses
    ADD CONSTRAINT customer_addresses_address_length CHECK ((char_length(address) <= 500)) NOT VALID;

COMMIT;

-- validate check constraint public.customer_addresses.customer_addresses_address_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customer_addresses VALIDATE CONSTRAINT customer_addresses_address_length;
RESET lock_timeout;

BEGIN;
-- create check constraint public.customer_addresses.customer_addresses_city_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customer_addresses
    ADD CONSTRAINT customer_addresses_city_length CHECK ((char_length(city) <= 100)) NOT VALID;

COMMIT;

-- validate check constraint public.customer_addresses.customer_addresses_city_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows (the hand edit fills the city with at most 100 characters); outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customer_addresses VALIDATE CONSTRAINT customer_addresses_city_length;
RESET lock_timeout;


-- 0003_vat_number_total_check (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0003_vat_number_total_check.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- rename column customers.vat_number to tax_number
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME COLUMN vat_number TO tax_number;

-- drop check constraint public.invoices.invoices_total_check
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP CONSTRAINT invoices_total_check;

-- drop check constraint public.customers.customers_vat_number_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP CONSTRAINT customers_vat_number_length;

-- comment on column public.customers.tax_number
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.tax_number IS 'The customer''s tax or VAT number, if known.';

-- create check constraint public.customers.customers_tax_number_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers
    ADD CONSTRAINT customers_tax_number_length CHECK ((char_length(tax_number) <= 40)) NOT VALID;

COMMIT;

-- validate check constraint public.customers.customers_tax_number_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_tax_number_length;
RESET lock_timeout;


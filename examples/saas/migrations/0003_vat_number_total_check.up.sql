-- 0003_vat_number_total_check (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0003_vat_number_total_check.
-- strata:allow-hazard breaks_clients
-- strata:allow-hazard validates_rows
-- strata:allow-hazard may_fail
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- rename column customers.tax_number to vat_number
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME COLUMN tax_number TO vat_number;

-- rename constraint customers_tax_number_length to customers_vat_number_length (named after the renamed column tax_number)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME CONSTRAINT customers_tax_number_length TO customers_vat_number_length;

-- comment on column public.customers.vat_number
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.vat_number IS 'The customer''s VAT number, if known.';

-- create check constraint public.invoices.invoices_total_check (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices
    ADD CONSTRAINT invoices_total_check CHECK ((total >= (0)::numeric)) NOT VALID;

COMMIT;

-- validate check constraint public.invoices.invoices_total_check
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.invoices VALIDATE CONSTRAINT invoices_total_check;
RESET lock_timeout;


-- 0003_vat_number_total_check (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0003_vat_number_total_check.
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
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.tax_number IS 'The customer''s tax or VAT number, if known.';

-- create check constraint public.customers.customers_tax_number_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers
    ADD CONSTRAINT customers_tax_number_length CHECK ((char_length(tax_number) <= 40)) NOT VALID;

-- validate check constraint public.customers.customers_tax_number_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_tax_number_length;

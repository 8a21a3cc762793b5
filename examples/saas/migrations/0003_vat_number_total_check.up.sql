-- 0003_vat_number_total_check (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0003_vat_number_total_check.
-- rename column customers.tax_number to vat_number
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME COLUMN tax_number TO vat_number;

-- drop check constraint public.customers.customers_tax_number_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers DROP CONSTRAINT customers_tax_number_length;

-- comment on column public.customers.vat_number
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.vat_number IS 'The customer''s VAT number, if known.';

-- create check constraint public.customers.customers_vat_number_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers
    ADD CONSTRAINT customers_vat_number_length CHECK ((char_length(vat_number) <= 40)) NOT VALID;

-- validate check constraint public.customers.customers_vat_number_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers VALIDATE CONSTRAINT customers_vat_number_length;

-- create check constraint public.invoices.invoices_total_check (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices
    ADD CONSTRAINT invoices_total_check CHECK ((total >= (0)::numeric)) NOT VALID;

-- validate check constraint public.invoices.invoices_total_check
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices VALIDATE CONSTRAINT invoices_total_check;

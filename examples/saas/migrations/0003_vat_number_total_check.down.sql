-- 0003_vat_number_total_check (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0003_vat_number_total_check.
-- rename column customers.vat_number to tax_number
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME COLUMN vat_number TO tax_number;

-- rename constraint customers_vat_number_length to customers_tax_number_length (named after the renamed column vat_number)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.customers RENAME CONSTRAINT customers_vat_number_length TO customers_tax_number_length;

-- drop check constraint public.invoices.invoices_total_check
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP CONSTRAINT invoices_total_check;

-- comment on column public.customers.tax_number
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.customers.tax_number IS 'The customer''s tax or VAT number, if known.';

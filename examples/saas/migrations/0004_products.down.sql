-- 0004_products (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0004_products.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- drop foreign key public.products.products_organization_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.products DROP CONSTRAINT products_organization_id_fkey;

COMMIT;

-- drop index public.idx_invoice_lines_product_id concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_invoice_lines_product_id;
RESET lock_timeout;

BEGIN;
-- drop foreign key public.invoice_lines.invoice_lines_product_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines DROP CONSTRAINT invoice_lines_product_id_fkey;

-- drop table public.products
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.products;

-- drop column public.invoice_lines.product_id
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoice_lines DROP COLUMN product_id;

COMMIT;

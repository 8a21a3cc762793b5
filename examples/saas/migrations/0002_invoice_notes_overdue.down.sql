-- 0002_invoice_notes_overdue (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0002_invoice_notes_overdue.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- drop index public.idx_invoices_organization_id_due_on concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_invoices_organization_id_due_on;
RESET lock_timeout;

-- drop index public.idx_invoices_organization_id_created_at concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_invoices_organization_id_created_at;
RESET lock_timeout;

-- drop index public.idx_invoices_customer_id_created_at concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_invoices_customer_id_created_at;
RESET lock_timeout;

BEGIN;
-- drop check constraint public.invoices.invoices_notes_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP CONSTRAINT invoices_notes_length;

-- drop column public.invoices.notes
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices DROP COLUMN notes;

-- replace enum public.invoice_status (values removed: overdue)
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, rewrites_table, long_lock, breaks_clients, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TYPE public.invoice_status RENAME TO invoice_status__strata_old;
CREATE TYPE public.invoice_status AS ENUM ('draft', 'sent', 'paid', 'void');
ALTER TABLE public.invoices ALTER COLUMN status DROP DEFAULT;
ALTER TABLE public.invoices ALTER COLUMN status TYPE public.invoice_status USING status::text::public.invoice_status;
ALTER TABLE public.invoices ALTER COLUMN status SET DEFAULT 'draft'::public.invoice_status;
DROP TYPE public.invoice_status__strata_old;

COMMIT;

-- create index public.idx_invoices_customer_id_created_at concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_invoices_customer_id_created_at ON public.invoices USING btree (customer_id, created_at DESC) INCLUDE (id, number, status, total) WHERE ((deleted_at IS NULL));
RESET lock_timeout;

-- create index public.idx_invoices_organization_id_created_at concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_invoices_organization_id_created_at ON public.invoices USING btree (organization_id, created_at DESC) INCLUDE (id, number, total) WHERE (((status = 'draft'::public.invoice_status) AND (deleted_at IS NULL)));
RESET lock_timeout;


-- 0002_invoice_notes_overdue (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0002_invoice_notes_overdue.
-- strata:allow-hazard validates_rows
-- strata:allow-hazard may_fail
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- add value overdue to enum public.invoice_status
--   lock: none; outside a transaction
ALTER TYPE public.invoice_status ADD VALUE 'overdue' BEFORE 'paid';

BEGIN;
-- create column public.invoices.notes
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices ADD COLUMN notes text;

-- create check constraint public.invoices.invoices_notes_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.invoices
    ADD CONSTRAINT invoices_notes_length CHECK ((char_length(notes) <= 2000)) NOT VALID;

COMMIT;

-- validate check constraint public.invoices.invoices_notes_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.invoices VALIDATE CONSTRAINT invoices_notes_length;
RESET lock_timeout;

-- create index public.idx_invoices_organization_id_due_on concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_invoices_organization_id_due_on ON public.invoices USING btree (organization_id, due_on) WHERE (((status = 'sent'::public.invoice_status) AND (deleted_at IS NULL)));
RESET lock_timeout;

BEGIN;
-- comment on column public.invoices.notes
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.invoices.notes IS 'Free text printed under the lines.';

COMMIT;

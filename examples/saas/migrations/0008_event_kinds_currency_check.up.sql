-- 0008_event_kinds_currency_check (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0008_event_kinds_currency_check.
-- strata:allow-hazard long_lock
-- strata:allow-hazard validates_rows
-- strata:allow-hazard may_fail
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- drop check currency_code_check of domain public.currency_code
--   lock: none
ALTER DOMAIN public.currency_code DROP CONSTRAINT currency_code_check;

-- add check currency_code_check to domain public.currency_code (NOT VALID)
--   lock: none
ALTER DOMAIN public.currency_code ADD CONSTRAINT currency_code_check CHECK (((VALUE ~ '^[A-Z]{3}$'::text) AND (VALUE <> 'XXX'::text))) NOT VALID;

COMMIT;

-- validate check currency_code_check of domain public.currency_code
--   lock: SHARE; hazards: long_lock, validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER DOMAIN public.currency_code VALIDATE CONSTRAINT currency_code_check;
RESET lock_timeout;

BEGIN;
-- comment on domain public.currency_code
--   lock: none
COMMENT ON DOMAIN public.currency_code IS 'An ISO 4217 currency code: three capital letters (`XXX`, "no currency", is refused).';

-- create index public.idx_invoice_events_organization_id_kind_occurred_at on the partitioned table alone (invalid until its partitions' are attached)
--   lock: SHARE
SET LOCAL lock_timeout = '5s';
CREATE INDEX idx_invoice_events_organization_id_kind_occurred_at ON ONLY public.invoice_events USING btree (organization_id, kind, occurred_at DESC);

COMMIT;

-- build the index of partition public.invoice_events_later concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY invoice_events_later_organization_id_kind_occurred_at_idx ON public.invoice_events_later USING btree (organization_id, kind, occurred_at DESC);
RESET lock_timeout;

BEGIN;
-- attach it to idx_invoice_events_organization_id_kind_occurred_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_invoice_events_organization_id_kind_occurred_at ATTACH PARTITION public.invoice_events_later_organization_id_kind_occurred_at_idx;

COMMIT;

-- build the index of partition public.invoice_events_y2024 concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY invoice_events_y2024_organization_id_kind_occurred_at_idx ON public.invoice_events_y2024 USING btree (organization_id, kind, occurred_at DESC);
RESET lock_timeout;

BEGIN;
-- attach it to idx_invoice_events_organization_id_kind_occurred_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_invoice_events_organization_id_kind_occurred_at ATTACH PARTITION public.invoice_events_y2024_organization_id_kind_occurred_at_idx;

COMMIT;

-- build the index of partition public.invoice_events_y2025 concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY invoice_events_y2025_organization_id_kind_occurred_at_idx ON public.invoice_events_y2025 USING btree (organization_id, kind, occurred_at DESC);
RESET lock_timeout;

BEGIN;
-- attach it to idx_invoice_events_organization_id_kind_occurred_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER INDEX public.idx_invoice_events_organization_id_kind_occurred_at ATTACH PARTITION public.invoice_events_y2025_organization_id_kind_occurred_at_idx;

COMMIT;

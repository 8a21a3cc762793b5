-- 0008_event_kinds_currency_check (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0008_event_kinds_currency_check.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- drop index public.idx_invoice_events_organization_id_kind_occurred_at
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
DROP INDEX public.idx_invoice_events_organization_id_kind_occurred_at;

-- drop check currency_code_check of domain public.currency_code
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
ALTER DOMAIN public.currency_code DROP CONSTRAINT currency_code_check;

-- add check currency_code_check to domain public.currency_code (NOT VALID)
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
ALTER DOMAIN public.currency_code ADD CONSTRAINT currency_code_check CHECK ((VALUE ~ '^[A-Z]{3}$'::text)) NOT VALID;

COMMIT;

-- validate check currency_code_check of domain public.currency_code
--   lock: SHARE; hazards: long_lock, validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER DOMAIN public.currency_code VALIDATE CONSTRAINT currency_code_check;
RESET lock_timeout;

BEGIN;
-- comment on domain public.currency_code
--   lock: none
COMMENT ON DOMAIN public.currency_code IS 'An ISO 4217 currency code: three capital letters.';

COMMIT;

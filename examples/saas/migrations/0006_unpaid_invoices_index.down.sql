-- 0006_unpaid_invoices_index (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0006_unpaid_invoices_index.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- drop index public.idx_invoices_customer_id_due_on concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_invoices_customer_id_due_on;
RESET lock_timeout;


-- 0006_unpaid_invoices_index (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/saas_versions/0006_unpaid_invoices_index.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- create index public.idx_invoices_customer_id_due_on concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_invoices_customer_id_due_on ON public.invoices USING btree (customer_id, due_on) INCLUDE (id, number, total) WHERE (((status = 'overdue'::public.invoice_status) AND (deleted_at IS NULL)));
RESET lock_timeout;


-- 0006_messages_by_user_index (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0006_messages_by_user_index.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- create index public.idx_messages_user_id_created_at concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_messages_user_id_created_at ON public.messages USING btree (user_id, created_at DESC) INCLUDE (id, conversation_id);
RESET lock_timeout;

-- drop index public.idx_messages_user_id concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_messages_user_id;
RESET lock_timeout;


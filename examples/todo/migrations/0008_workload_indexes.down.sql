-- 0008_workload_indexes (down): planned by `strata migrate new` from the migrations to examples/todo.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- create index public.idx_tasks_user_id concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_tasks_user_id ON public.tasks USING btree (user_id);
RESET lock_timeout;

-- drop index public.idx_tasks_user_id_created_at_list_tasks concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_tasks_user_id_created_at_list_tasks;
RESET lock_timeout;

-- create index public.idx_tasks_user_id_created_at_list_tasks concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_tasks_user_id_created_at_list_tasks ON public.tasks USING btree (user_id, created_at DESC) WHERE ((deleted_at IS NULL));
RESET lock_timeout;


-- 0002_task_priority (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0002_task_priority.
-- drop column public.tasks.priority
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DROP COLUMN priority;

-- 0002_task_priority (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0002_task_priority.
-- drop column public.tasks.priority
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DROP COLUMN priority;

-- disable row-level security on public.conversations
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations DISABLE ROW LEVEL SECURITY;

-- no force row-level security on public.conversations
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations NO FORCE ROW LEVEL SECURITY;

-- disable row-level security on public.messages
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages DISABLE ROW LEVEL SECURITY;

-- no force row-level security on public.messages
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages NO FORCE ROW LEVEL SECURITY;

-- disable row-level security on public.tags
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags DISABLE ROW LEVEL SECURITY;

-- no force row-level security on public.tags
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags NO FORCE ROW LEVEL SECURITY;

-- disable row-level security on public.tasks
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DISABLE ROW LEVEL SECURITY;

-- no force row-level security on public.tasks
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;

-- 0002_task_priority (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0002_task_priority.
-- create column public.tasks.priority
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks ADD COLUMN priority integer DEFAULT 0 NOT NULL;

-- comment on column public.tasks.priority
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.priority IS 'Sort order within the user''s list: higher first (0 for tasks made before it existed).';

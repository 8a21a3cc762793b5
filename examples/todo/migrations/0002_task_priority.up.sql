-- 0002_task_priority (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0002_task_priority.
-- enable row-level security on public.conversations
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations ENABLE ROW LEVEL SECURITY;

-- force row-level security on public.conversations
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations FORCE ROW LEVEL SECURITY;

-- enable row-level security on public.messages
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;

-- force row-level security on public.messages
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages FORCE ROW LEVEL SECURITY;

-- enable row-level security on public.tags
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags ENABLE ROW LEVEL SECURITY;

-- force row-level security on public.tags
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags FORCE ROW LEVEL SECURITY;

-- enable row-level security on public.tasks
--   lock: ACCESS EXCLUSIVE; hazards: breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;

-- force row-level security on public.tasks
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;

-- create column public.tasks.priority
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks ADD COLUMN priority integer DEFAULT 0 NOT NULL;

-- comment on column public.tasks.priority
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.priority IS 'Sort order within the user''s list: higher first (0 for tasks made before it existed).';

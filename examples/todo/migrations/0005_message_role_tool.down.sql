-- 0005_message_role_tool (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0005_message_role_tool.
-- replace enum public.message_role (values removed: tool)
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, rewrites_table, long_lock, breaks_clients, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TYPE public.message_role RENAME TO message_role__strata_old;
CREATE TYPE public.message_role AS ENUM ('user', 'assistant', 'system');
ALTER TABLE public.messages ALTER COLUMN role TYPE public.message_role USING role::text::public.message_role;
DROP TYPE public.message_role__strata_old;

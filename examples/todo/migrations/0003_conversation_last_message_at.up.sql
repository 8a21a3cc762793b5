-- 0003_conversation_last_message_at (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0003_conversation_last_message_at.
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the planner added the
-- column as `DEFAULT now() NOT NULL`, which would stamp every existing conversation with the
-- time of the migration. Instead the column is added empty, backfilled from the messages
-- (the conversation's creation time when it has none), and only then gets its default and
-- NOT NULL. The UPDATE rewrites every conversation row inside this transaction, under the
-- ACCESS EXCLUSIVE lock of ADD COLUMN: fine for the expected size of the table; a much larger
-- table would backfill in batches in separate migrations first.
-- The backfill reads and writes tables under FORCE ROW LEVEL SECURITY: their forced policies
-- are lifted for the owner around it, in this transaction only, so that it sees every user's
-- rows (docs/migrations.md, data migrations under RLS).
-- create column public.conversations.last_message_at
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations ADD COLUMN last_message_at timestamp with time zone;
ALTER TABLE public.conversations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.messages NO FORCE ROW LEVEL SECURITY;
UPDATE public.conversations c
SET last_message_at = coalesce(
    (SELECT max(m.created_at) FROM public.messages m WHERE m.conversation_id = c.id),
    c.created_at);
ALTER TABLE public.conversations FORCE ROW LEVEL SECURITY;
ALTER TABLE public.messages FORCE ROW LEVEL SECURITY;
ALTER TABLE public.conversations ALTER COLUMN last_message_at SET DEFAULT now();
ALTER TABLE public.conversations ALTER COLUMN last_message_at SET NOT NULL;

-- comment on column public.conversations.last_message_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.conversations.last_message_at IS 'When the last message was written (the creation time until then): sorts the sidebar.';

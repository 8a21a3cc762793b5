-- 0003_conversation_last_message_at (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0003_conversation_last_message_at.
-- drop column public.conversations.last_message_at
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations DROP COLUMN last_message_at;

-- 0001_initial (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0001_initial.
-- drop foreign key public.tasks.tasks_user_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DROP CONSTRAINT tasks_user_id_fkey;

-- drop foreign key public.task_tags.task_tags_task_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_tags DROP CONSTRAINT task_tags_task_id_fkey;

-- drop foreign key public.task_tags.task_tags_tag_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_tags DROP CONSTRAINT task_tags_tag_id_fkey;

-- drop foreign key public.tags.tags_user_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags DROP CONSTRAINT tags_user_id_fkey;

-- drop foreign key public.sessions.sessions_user_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.sessions DROP CONSTRAINT sessions_user_id_fkey;

-- drop foreign key public.messages.messages_user_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages DROP CONSTRAINT messages_user_id_fkey;

-- drop foreign key public.messages.messages_conversation_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages DROP CONSTRAINT messages_conversation_id_fkey;

-- drop foreign key public.conversations.conversations_user_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations DROP CONSTRAINT conversations_user_id_fkey;

-- drop table public.users
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.users;

-- drop table public.tasks
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.tasks;

-- drop function public.audit_row_change()
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP FUNCTION public.audit_row_change();

-- drop table public.task_tags
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.task_tags;

-- drop table public.tags
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.tags;

-- drop table public.sessions
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.sessions;

-- drop table public.messages
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.messages;

-- drop enum public.message_role
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP TYPE public.message_role;

-- drop table public.conversations
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.conversations;

-- drop function public.set_updated_at()
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction); hazards: breaks_clients
DROP FUNCTION public.set_updated_at();

-- drop table public.audit_log
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.audit_log;

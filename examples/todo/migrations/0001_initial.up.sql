-- 0001_initial (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0001_initial.
-- create enum public.message_role
--   lock: none
CREATE TYPE public.message_role AS ENUM ('user', 'assistant', 'system');

-- comment on type public.message_role
--   lock: none
COMMENT ON TYPE public.message_role IS 'Who wrote a message.';

-- create function public.audit_row_change()
--   lock: none
CREATE OR REPLACE FUNCTION public.audit_row_change()
    RETURNS trigger
    LANGUAGE plpgsql
    VOLATILE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
AS $body$
DECLARE
  redacted text[] := TG_ARGV[1]::text[];
  old_row jsonb;
  new_row jsonb;
  key_text text;
  tenant text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_row := pg_catalog.to_jsonb(OLD);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_row := pg_catalog.to_jsonb(NEW);
  END IF;
  IF TG_ARGV[2] <> '' THEN
    tenant := COALESCE(new_row, old_row) ->> TG_ARGV[2];
  END IF;
  old_row := old_row - redacted;
  new_row := new_row - redacted;
  SELECT pg_catalog.string_agg(COALESCE(new_row, old_row) ->> k, ',')
    INTO key_text
    FROM pg_catalog.unnest(TG_ARGV[0]::text[]) AS k;
  INSERT INTO public.audit_log (table_name, record_id, action, old_data, new_data, actor_id, tenant_id)
  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, COALESCE(key_text, ''), TG_OP, old_row, new_row,
          COALESCE(NULLIF(pg_catalog.current_setting('app.current_user_id', true), ''), session_user::text), tenant);
  RETURN NULL;
END;
$body$;

-- comment on function public.audit_row_change()
--   lock: none
COMMENT ON FUNCTION public.audit_row_change() IS 'Writes one audit_log row per changed row; TG_ARGV: key columns, redacted columns, tenant column.';

-- create function public.set_updated_at()
--   lock: none
CREATE OR REPLACE FUNCTION public.set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
    VOLATILE
AS $body$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$body$;

-- comment on function public.set_updated_at()
--   lock: none
COMMENT ON FUNCTION public.set_updated_at() IS 'Sets updated_at to the transaction time on UPDATE.';

-- create table public.audit_log
--   lock: none
CREATE TABLE public.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    table_name text NOT NULL,
    record_id text NOT NULL,
    action text NOT NULL,
    old_data jsonb,
    new_data jsonb,
    actor_id text,
    tenant_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_action_values CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

-- create index public.idx_audit_log_created_at
--   lock: none
CREATE INDEX idx_audit_log_created_at ON public.audit_log USING brin (created_at);

-- create index public.idx_audit_log_table_name_record_id
--   lock: none
CREATE INDEX idx_audit_log_table_name_record_id ON public.audit_log USING btree (table_name, record_id);

-- create policy audit_log_tenant_read on public.audit_log
--   lock: none
CREATE POLICY audit_log_tenant_read ON public.audit_log
    AS PERMISSIVE
    FOR SELECT
    TO PUBLIC
    USING ((tenant_id = NULLIF(current_setting('app.current_user_id'::text, true), ''::text)));

-- comment on table public.audit_log
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.audit_log IS 'Every INSERT, UPDATE and DELETE on audited tables, written by triggers.';

-- comment on column public.audit_log.table_name
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.table_name IS 'Schema-qualified table that changed.';

-- comment on column public.audit_log.record_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.record_id IS 'Primary key of the changed row, as text.';

-- comment on column public.audit_log.action
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.action IS 'INSERT, UPDATE or DELETE.';

-- comment on column public.audit_log.old_data
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.old_data IS 'The row before the change (secrets removed).';

-- comment on column public.audit_log.new_data
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.new_data IS 'The row after the change (secrets removed).';

-- comment on column public.audit_log.actor_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.actor_id IS 'Who made the change: the actor setting, else the database role.';

-- comment on column public.audit_log.tenant_id
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.audit_log.tenant_id IS 'Tenant of the changed row; each tenant reads only its own history.';

-- create table public.conversations
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversations_pkey PRIMARY KEY (id),
    CONSTRAINT conversations_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT conversations_title_length CHECK ((char_length(title) <= 200))
);
ALTER TABLE public.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.conversations FORCE ROW LEVEL SECURITY;

-- create index public.idx_conversations_user_id_updated_at
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_conversations_user_id_updated_at ON public.conversations USING btree (user_id, updated_at DESC) INCLUDE (id, title);

-- create trigger conversations_set_updated_at on public.conversations
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER conversations_set_updated_at
    BEFORE UPDATE ON public.conversations
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy conversations_tenant_isolation on public.conversations
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY conversations_tenant_isolation ON public.conversations
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.conversations
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.conversations IS 'A chatbot session of one user.';

-- comment on column public.conversations.title
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.conversations.title IS 'Optional title shown in the sidebar.';

-- comment on column public.conversations.created_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.conversations.created_at IS 'When the row was created.';

-- comment on column public.conversations.updated_at
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.conversations.updated_at IS 'When the row was last changed; kept by a trigger.';

-- create table public.messages
--   lock: SHARE UPDATE EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    conversation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role public.message_role NOT NULL,
    content text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_content_length CHECK ((char_length(content) <= 10000))
);
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.messages FORCE ROW LEVEL SECURITY;

-- create foreign key public.messages.messages_conversation_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.conversations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.messages
    ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id, user_id) REFERENCES public.conversations (id, user_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.messages FORCE ROW LEVEL SECURITY;
ALTER TABLE public.conversations FORCE ROW LEVEL SECURITY;

-- create index public.idx_messages_conversation_id_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_messages_conversation_id_created_at ON public.messages USING btree (conversation_id, created_at);

-- create index public.idx_messages_user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_messages_user_id ON public.messages USING btree (user_id);

-- create policy messages_tenant_isolation on public.messages
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY messages_tenant_isolation ON public.messages
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.messages
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.messages IS 'One message of a conversation. Messages are never edited.';

-- comment on column public.messages.content
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.messages.content IS 'Message text, at most 10000 characters.';

-- comment on column public.messages.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.messages.created_at IS 'When the row was created.';

-- create table public.sessions
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT sessions_token_hash_not_blank CHECK ((char_length(token_hash) > 0))
);
ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sessions FORCE ROW LEVEL SECURITY;

-- create index public.idx_sessions_expires_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_sessions_expires_at ON public.sessions USING btree (expires_at);

-- create index public.idx_sessions_user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_sessions_user_id ON public.sessions USING btree (user_id);

-- create policy sessions_tenant_isolation on public.sessions
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY sessions_tenant_isolation ON public.sessions
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.sessions
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.sessions IS 'An active sign-in: the refresh token is stored hashed.';

-- comment on column public.sessions.token_hash
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.sessions.token_hash IS 'Hash of the refresh token.';

-- comment on column public.sessions.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.sessions.created_at IS 'When the row was created.';

-- create table public.tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.tags (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (id),
    CONSTRAINT tags_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT tags_user_id_name_key UNIQUE (user_id, name),
    CONSTRAINT tags_name_length CHECK ((char_length(name) <= 50))
);
ALTER TABLE public.tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.tags FORCE ROW LEVEL SECURITY;

-- create trigger tags_set_updated_at on public.tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER tags_set_updated_at
    BEFORE UPDATE ON public.tags
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy tags_tenant_isolation on public.tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY tags_tenant_isolation ON public.tags
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.tags IS 'A label a user puts on tasks.';

-- comment on column public.tags.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tags.created_at IS 'When the row was created.';

-- comment on column public.tags.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tags.updated_at IS 'When the row was last changed; kept by a trigger.';

-- create table public.task_tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.task_tags (
    task_id uuid NOT NULL,
    tag_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    user_id uuid DEFAULT (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid NOT NULL,
    CONSTRAINT task_tags_pkey PRIMARY KEY (task_id, tag_id)
);
ALTER TABLE public.task_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.task_tags FORCE ROW LEVEL SECURITY;

-- create foreign key public.task_tags.task_tags_tag_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_tags
    ADD CONSTRAINT task_tags_tag_id_fkey FOREIGN KEY (tag_id, user_id) REFERENCES public.tags (id, user_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.task_tags FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tags FORCE ROW LEVEL SECURITY;

-- create index public.idx_task_tags_tag_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_task_tags_tag_id ON public.task_tags USING btree (tag_id);

-- create policy task_tags_tenant_isolation on public.task_tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY task_tags_tenant_isolation ON public.task_tags
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.task_tags
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.task_tags IS 'Links Task to Tag (many-to-many `tags`).';

-- comment on column public.task_tags.user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.task_tags.user_id IS 'Tenant of the link, the same as both linked rows'': row-level security and the foreign keys check it.';

-- create table public.tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    description text,
    completed boolean DEFAULT false NOT NULL,
    due_date timestamp with time zone,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT tasks_description_length CHECK ((char_length(description) <= 1000)),
    CONSTRAINT tasks_title_check CHECK ((char_length(TRIM(BOTH FROM title)) > 0)),
    CONSTRAINT tasks_title_length CHECK ((char_length(title) <= 200))
);
ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;

-- create foreign key public.task_tags.task_tags_task_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_tags
    ADD CONSTRAINT task_tags_task_id_fkey FOREIGN KEY (task_id, user_id) REFERENCES public.tasks (id, user_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.task_tags FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;

-- create index public.idx_tasks_due_date
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_tasks_due_date ON public.tasks USING btree (due_date) INCLUDE (id, user_id, title) WHERE (((NOT completed) AND (deleted_at IS NULL)));

-- create index public.idx_tasks_user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_tasks_user_id ON public.tasks USING btree (user_id);

-- create index public.idx_tasks_user_id_completed_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_tasks_user_id_completed_created_at ON public.tasks USING btree (user_id, completed, created_at DESC) WHERE ((deleted_at IS NULL));

-- create index public.idx_tasks_user_id_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_tasks_user_id_created_at ON public.tasks USING btree (user_id, created_at DESC) INCLUDE (id, title, due_date) WHERE (((NOT completed) AND (deleted_at IS NULL)));

-- create index public.idx_tasks_user_id_created_at_list_tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_tasks_user_id_created_at_list_tasks ON public.tasks USING btree (user_id, created_at DESC) WHERE ((deleted_at IS NULL));

-- create trigger tasks_audit on public.tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER tasks_audit
    AFTER INSERT OR UPDATE OR DELETE ON public.tasks
    FOR EACH ROW
    EXECUTE FUNCTION public.audit_row_change('{id}', '{}', 'user_id');

-- create trigger tasks_set_updated_at on public.tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER tasks_set_updated_at
    BEFORE UPDATE ON public.tasks
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy tasks_tenant_isolation on public.tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY tasks_tenant_isolation ON public.tasks
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.tasks
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.tasks IS 'Something a user has to do.';

-- comment on column public.tasks.title
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.title IS 'Task title, required, at most 200 characters.';

-- comment on column public.tasks.description
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.description IS 'Optional longer description, at most 1000 characters.';

-- comment on column public.tasks.completed
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.completed IS 'Whether the task is done.';

-- comment on column public.tasks.due_date
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.due_date IS 'When the task is due, if ever.';

-- comment on column public.tasks.user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.user_id IS 'The owner: every query filters by it first.';

-- comment on column public.tasks.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.created_at IS 'When the row was created.';

-- comment on column public.tasks.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.updated_at IS 'When the row was last changed; kept by a trigger.';

-- comment on column public.tasks.deleted_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.deleted_at IS 'When the row was soft-deleted; NULL while it is live.';

-- create table public.users
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_format CHECK (((email ~* '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (char_length(email) <= 254))),
    CONSTRAINT users_name_length CHECK ((char_length(name) <= 100)),
    CONSTRAINT users_password_hash_not_blank CHECK ((char_length(password_hash) > 0))
);
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create foreign key public.conversations.conversations_user_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.conversations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.conversations
    ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.conversations FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create foreign key public.messages.messages_user_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.messages NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.messages
    ADD CONSTRAINT messages_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.messages FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create foreign key public.sessions.sessions_user_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.sessions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create foreign key public.tags.tags_user_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tags
    ADD CONSTRAINT tags_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.tags FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create foreign key public.tasks.tasks_user_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tasks
    ADD CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- create index public.idx_users_created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_users_created_at ON public.users USING btree (created_at DESC);

-- create index public.idx_users_email
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE INDEX idx_users_email ON public.users USING btree (email);

-- create index public.users_email_key
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE UNIQUE INDEX users_email_key ON public.users USING btree ((lower(email)));

-- create trigger users_set_updated_at on public.users
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON public.users
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy users_tenant_isolation on public.users
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY users_tenant_isolation ON public.users
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.users
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.users IS 'A person who signs in. Deleting a user removes everything they own.';

-- comment on column public.users.email
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.email IS 'Sign-in address; unique across all users.';

-- comment on column public.users.name
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.name IS 'Display name.';

-- comment on column public.users.password_hash
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.password_hash IS 'Bcrypt hash of the password; the plain password is never stored.';

-- comment on column public.users.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.created_at IS 'When the row was created.';

-- comment on column public.users.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.updated_at IS 'When the row was last changed; kept by a trigger.';

-- 0004_split_task_details (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0004_split_task_details.
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the planner drops
-- tasks.description and creates task_details, which would lose every description. The steps
-- are reordered (create the new table first, drop the column last) and the data is copied in
-- between, all in this migration's transaction. (The planner already creates the table first.)
-- The copy reads and writes tables under FORCE ROW LEVEL SECURITY: their forced policies are
-- lifted for the owner around it, in this transaction only, so that it copies every user's
-- rows (docs/migrations.md, data migrations under RLS).
-- Reviewed: dropping tasks.description once it is copied is intended.
-- strata:allow-hazard deletes_data
-- drop check constraint public.tasks.tasks_description_length
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DROP CONSTRAINT tasks_description_length;

-- create table public.task_details
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TABLE public.task_details (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    task_id uuid NOT NULL,
    description text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    user_id uuid DEFAULT (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid NOT NULL,
    CONSTRAINT task_details_pkey PRIMARY KEY (id),
    CONSTRAINT task_details_task_id_key UNIQUE (task_id),
    CONSTRAINT task_details_description_length CHECK ((char_length(description) <= 1000))
);
ALTER TABLE public.task_details ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.task_details FORCE ROW LEVEL SECURITY;

-- create foreign key public.task_details.task_details_task_id_fkey (forced row-level security lifted for the check)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_details NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_details
    ADD CONSTRAINT task_details_task_id_fkey FOREIGN KEY (task_id, user_id) REFERENCES public.tasks (id, user_id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE public.task_details FORCE ROW LEVEL SECURITY;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;

-- create trigger task_details_set_updated_at on public.task_details
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE TRIGGER task_details_set_updated_at
    BEFORE UPDATE ON public.task_details
    FOR EACH ROW
    EXECUTE FUNCTION public.set_updated_at();

-- create policy task_details_tenant_isolation on public.task_details
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
CREATE POLICY task_details_tenant_isolation ON public.task_details
    AS PERMISSIVE
    FOR ALL
    TO PUBLIC
    USING ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid))
    WITH CHECK ((user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid));

-- comment on table public.task_details
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON TABLE public.task_details IS 'The long description of a task, kept out of the hot `tasks` table (10M rows) so that
list queries read narrow rows. One row per task that has a description.';

-- comment on column public.task_details.description
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.task_details.description IS 'Longer description, at most 1000 characters.';

-- comment on column public.task_details.created_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.task_details.created_at IS 'When the row was created.';

-- comment on column public.task_details.updated_at
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.task_details.updated_at IS 'When the row was last changed; kept by a trigger.';

-- comment on column public.task_details.user_id
--   lock: ACCESS EXCLUSIVE (held from an earlier step of this transaction)
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.task_details.user_id IS 'Tenant of the row, the same as its task''s: row-level security and the foreign keys check it.';

-- copy the descriptions into the new table (hand-written); each row keeps its task's tenant.
-- The owner must read every user's tasks: forced row-level security is lifted for the copy.
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_details NO FORCE ROW LEVEL SECURITY;
INSERT INTO public.task_details (task_id, user_id, description)
SELECT id, user_id, description FROM public.tasks WHERE description IS NOT NULL;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_details FORCE ROW LEVEL SECURITY;

-- drop column public.tasks.description
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks DROP COLUMN description;

-- 0004_split_task_details (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0004_split_task_details.
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the column comes back
-- first, the descriptions are copied back, and only then task_details is dropped.
-- create column public.tasks.description
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks ADD COLUMN description text;

-- create check constraint public.tasks.tasks_description_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks
    ADD CONSTRAINT tasks_description_length CHECK ((char_length(description) <= 1000)) NOT VALID;

-- validate check constraint public.tasks.tasks_description_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks VALIDATE CONSTRAINT tasks_description_length;

-- comment on column public.tasks.description
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.description IS 'Optional longer description, at most 1000 characters.';

-- copy the descriptions back (hand-written)
UPDATE public.tasks t SET description = d.description
FROM public.task_details d WHERE d.task_id = t.id;

-- drop foreign key public.task_details.task_details_task_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_details DROP CONSTRAINT task_details_task_id_fkey;

-- drop table public.task_details
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.task_details;

-- 0004_split_task_details (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0004_split_task_details.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- HAND-EDITED after `strata migrate new` (then `strata migrate hash`): the descriptions are
-- copied back before task_details is dropped, with the forced row-level security of both
-- tables lifted for the owner around the copy (in this transaction only).
BEGIN;
-- drop foreign key public.task_details.task_details_task_id_fkey
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.task_details DROP CONSTRAINT task_details_task_id_fkey;

-- create column public.tasks.description
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks ADD COLUMN description text;

-- create check constraint public.tasks.tasks_description_length (NOT VALID)
--   lock: ACCESS EXCLUSIVE
SET LOCAL lock_timeout = '5s';
ALTER TABLE public.tasks
    ADD CONSTRAINT tasks_description_length CHECK ((char_length(description) <= 1000)) NOT VALID;

COMMIT;

-- validate check constraint public.tasks.tasks_description_length
--   lock: SHARE UPDATE EXCLUSIVE; hazards: validates_rows, may_fail; outside a transaction
SET lock_timeout = '5s';
ALTER TABLE public.tasks VALIDATE CONSTRAINT tasks_description_length;
RESET lock_timeout;

BEGIN;
-- comment on column public.tasks.description
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.tasks.description IS 'Optional longer description, at most 1000 characters.';

-- copy the descriptions back (hand-written)
ALTER TABLE public.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_details NO FORCE ROW LEVEL SECURITY;
UPDATE public.tasks t SET description = d.description
FROM public.task_details d WHERE d.task_id = t.id;
ALTER TABLE public.tasks FORCE ROW LEVEL SECURITY;
ALTER TABLE public.task_details FORCE ROW LEVEL SECURITY;

-- drop table public.task_details
--   lock: ACCESS EXCLUSIVE; hazards: deletes_data, breaks_clients
SET LOCAL lock_timeout = '5s';
DROP TABLE public.task_details;

COMMIT;

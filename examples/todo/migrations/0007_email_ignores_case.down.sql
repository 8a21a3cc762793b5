-- 0007_email_ignores_case (down): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0007_email_ignores_case.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
BEGIN;
-- comment on column public.users.email
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.email IS 'Sign-in address; unique across all users.';

COMMIT;

-- create index public.idx_users_email concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY idx_users_email ON public.users USING btree (email);
RESET lock_timeout;


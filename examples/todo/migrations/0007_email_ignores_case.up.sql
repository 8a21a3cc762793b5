-- 0007_email_ignores_case (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0007_email_ignores_case.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- Reviewed: the case-insensitive index fails if two users' emails differ only in case;
-- merge such accounts first.
-- strata:allow-hazard may_fail
-- drop index public.idx_users_email concurrently
--   lock: SHARE UPDATE EXCLUSIVE; outside a transaction
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY public.idx_users_email;
RESET lock_timeout;

BEGIN;
-- comment on column public.users.email
--   lock: SHARE UPDATE EXCLUSIVE
SET LOCAL lock_timeout = '5s';
COMMENT ON COLUMN public.users.email IS 'Sign-in address; unique across all users, ignoring case.';

COMMIT;

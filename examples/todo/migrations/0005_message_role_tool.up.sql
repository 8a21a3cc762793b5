-- 0005_message_role_tool (up): planned by `strata migrate new` from the migrations to crates/strata-cli/tests/fixtures/todo_versions/0005_message_role_tool.
-- strata:no-transaction
-- Holds a step that cannot run in a transaction: the runner runs the
-- statements one at a time; BEGIN/COMMIT group the transactional ones.
-- add value tool to enum public.message_role
--   lock: none; outside a transaction
ALTER TYPE public.message_role ADD VALUE 'tool' AFTER 'system';


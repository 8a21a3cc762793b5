BEGIN;
SET LOCAL lock_timeout = '5s';
BEGIN;
ALTER TABLE orders ADD COLUMN memo text;
COMMIT;

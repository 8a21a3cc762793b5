BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN memo text;
COMMIT;
BEGIN;
ALTER TABLE orders ADD COLUMN memo2 text;
ROLLBACK;

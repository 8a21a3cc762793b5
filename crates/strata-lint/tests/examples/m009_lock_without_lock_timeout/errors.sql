ALTER TABLE orders ADD COLUMN memo text;
BEGIN;
SET LOCAL lock_timeout = '2s';
COMMIT;
-- SET LOCAL ended with its transaction.
ALTER TABLE customers ADD COLUMN phone text;
TRUNCATE orders;

SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN memo text;
RESET lock_timeout;
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE customers ADD COLUMN phone text;
COMMIT;
-- Statistics and validation take SHARE UPDATE EXCLUSIVE; a new table has no queries to queue.
ALTER TABLE orders ALTER COLUMN total SET STATISTICS 500;
CREATE TABLE refunds (id bigint PRIMARY KEY);
ALTER TABLE refunds ADD COLUMN reason text;

SET lock_timeout = '5s';
ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;
-- Proved only NOT VALID: the scan still happens.
ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;
ALTER TABLE orders ALTER COLUMN total SET NOT NULL;

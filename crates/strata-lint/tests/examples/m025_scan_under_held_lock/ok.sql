SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN phone text;
-- Another table: customers' lock does not hold orders.
UPDATE orders SET note = '' WHERE id = 1;
COMMIT;

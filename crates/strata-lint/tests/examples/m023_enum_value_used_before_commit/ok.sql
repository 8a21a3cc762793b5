BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;
UPDATE orders SET status = 'refunded' WHERE id = 1;

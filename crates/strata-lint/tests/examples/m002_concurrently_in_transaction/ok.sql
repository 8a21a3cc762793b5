CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
BEGIN;
CREATE INDEX refunds_idx ON orders (total);
COMMIT;
DROP INDEX CONCURRENTLY orders_placed_at_idx;

DROP INDEX CONCURRENTLY orders_placed_at_idx;
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);
CREATE INDEX refunds_order_id_idx ON refunds (order_id);
DROP INDEX refunds_order_id_idx;

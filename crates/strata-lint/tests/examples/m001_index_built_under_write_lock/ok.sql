CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
-- A table created in the same migration has no rows and no writers.
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);
CREATE INDEX refunds_order_id_idx ON refunds (order_id);
-- ON ONLY a partitioned table builds an empty parent index; partitions are indexed on their own.
CREATE INDEX events_kind_idx ON ONLY events (kind);

CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, placed_at timestamptz, total numeric, currency text, region text);
CREATE INDEX orders_customer_status_idx ON orders (customer_id, status, placed_at) INCLUDE (total, currency, region);

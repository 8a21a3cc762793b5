CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, placed_at timestamptz, total numeric, currency text, region text);
CREATE INDEX orders_everything_idx ON orders (customer_id, status, placed_at, total, currency, region);

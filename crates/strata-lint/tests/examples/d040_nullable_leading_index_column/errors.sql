CREATE TABLE orders (id bigint PRIMARY KEY, cancelled_at timestamptz, external_ref text);
CREATE INDEX orders_cancelled_idx ON orders (cancelled_at);
CREATE INDEX orders_ref_idx ON orders (external_ref);

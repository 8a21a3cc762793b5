CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, reference text NOT NULL);
CREATE UNIQUE INDEX orders_reference_key ON orders (reference);
-- nothing ever filters or sorts on customer
CREATE INDEX orders_customer_idx ON orders (customer);
INSERT INTO orders SELECT i, 'c' || (i % 50), 'r' || i FROM generate_series(1, 2000) i;
ANALYZE orders;
SELECT count(*) FROM orders;

CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, reference text NOT NULL);
-- never scanned, but it enforces uniqueness
CREATE UNIQUE INDEX orders_reference_key ON orders (reference);
CREATE INDEX orders_customer_idx ON orders (customer);
INSERT INTO orders SELECT i, 'c' || (i % 50), 'r' || i FROM generate_series(1, 2000) i;
ANALYZE orders;
SET enable_seqscan = off;
SELECT count(*) FROM orders WHERE customer = 'c7';

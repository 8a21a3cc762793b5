CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, note text);
INSERT INTO orders SELECT i, i % 500, 'n' FROM generate_series(1, 20000) i;
CREATE INDEX orders_customer_idx ON orders (customer_id);
ANALYZE orders;
-- the frequent lookup has its index
DO $$
BEGIN
  FOR i IN 1..120 LOOP
    PERFORM count(*) FROM orders WHERE customer_id = i;
  END LOOP;
END
$$;

CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, note text);
INSERT INTO orders SELECT i, i % 500, 'n' FROM generate_series(1, 20000) i;
ANALYZE orders;
-- the frequent lookup has no index: every run reads the whole table
DO $$
BEGIN
  FOR i IN 1..120 LOOP
    PERFORM count(*) FROM orders WHERE customer_id = i;
  END LOOP;
END
$$;

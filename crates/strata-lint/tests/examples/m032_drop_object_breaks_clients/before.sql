CREATE TABLE customers (id bigint PRIMARY KEY, email text, name text, fax text, tax_number text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, placed_at timestamptz, total numeric(12, 2), quantity int, note text);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
INSERT INTO customers VALUES (1, 'a@example.com', 'A', NULL, NULL);
INSERT INTO orders VALUES (1, 1, now(), 10, 1, NULL);
CREATE VIEW active_customers AS SELECT * FROM customers;
CREATE FUNCTION customer_name(bigint) RETURNS text LANGUAGE sql AS 'SELECT name FROM customers WHERE id = $1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();

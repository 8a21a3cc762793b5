SET lock_timeout = '5s';
-- The constraints added the online way, after the plain columns.
ALTER TABLE orders ADD COLUMN quantity int DEFAULT 1;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_check CHECK (quantity > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_quantity_check;
ALTER TABLE orders ADD COLUMN code text;
CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON orders (code);
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_key;
-- A column with a NOT NULL and a constant default reads no row.
ALTER TABLE orders ADD COLUMN note text NOT NULL DEFAULT '';
-- A table created in the same migration has no rows yet.
CREATE TABLE order_lines (id bigint PRIMARY KEY);
ALTER TABLE order_lines ADD COLUMN line_no int UNIQUE CHECK (line_no > 0);

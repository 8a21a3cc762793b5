-- Collations change on a unique key referenced by a foreign key, on an indexed column and
-- on a column a view reads.
CREATE TABLE products (id int PRIMARY KEY, code text COLLATE "C" NOT NULL UNIQUE, name text COLLATE "C");
CREATE INDEX products_name_idx ON products (name);
CREATE TABLE order_lines (id int PRIMARY KEY, product_code text COLLATE "C" REFERENCES products (code), qty int);
CREATE VIEW product_names AS SELECT code, name FROM products;

CREATE TABLE products (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text);
CREATE INDEX products_name_idx ON products (name);
CREATE TABLE order_lines (id int PRIMARY KEY, product_code text REFERENCES products (code), qty int);
CREATE VIEW product_names AS SELECT code, name FROM products;

SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN quantity int DEFAULT 1 CHECK (quantity > 0);
ALTER TABLE orders ADD COLUMN code text UNIQUE;

SET lock_timeout = '5s';
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;
ALTER TABLE orders ALTER COLUMN total SET DATA TYPE double precision USING total::double precision;

SET lock_timeout = '5s';
ALTER TABLE customers RENAME COLUMN tax_number TO vat_number;
ALTER TABLE orders RENAME TO purchases;

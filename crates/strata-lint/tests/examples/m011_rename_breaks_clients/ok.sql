SET lock_timeout = '5s';
CREATE TABLE refunds (id bigint PRIMARY KEY, why text);
ALTER TABLE refunds RENAME COLUMN why TO reason;
ALTER TABLE refunds RENAME TO order_refunds;
ALTER TABLE customers RENAME CONSTRAINT customers_pkey TO customers_key;

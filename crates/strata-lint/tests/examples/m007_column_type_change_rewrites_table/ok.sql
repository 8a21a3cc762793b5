SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN quantity_big bigint;
CREATE TABLE refunds (id int PRIMARY KEY);
ALTER TABLE refunds ALTER COLUMN id TYPE bigint;

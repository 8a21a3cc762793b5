SET lock_timeout = '5s';
CREATE TABLE refunds (id bigint PRIMARY KEY, reason text NOT NULL);
ALTER TABLE refunds ALTER COLUMN reason DROP NOT NULL;
ALTER TABLE customers ALTER COLUMN email SET DEFAULT '';

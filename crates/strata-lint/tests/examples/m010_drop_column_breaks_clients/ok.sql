SET lock_timeout = '5s';
CREATE TABLE refunds (id bigint PRIMARY KEY, reason text);
ALTER TABLE refunds DROP COLUMN reason;

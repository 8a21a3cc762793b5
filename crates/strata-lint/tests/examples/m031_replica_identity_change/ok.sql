SET lock_timeout = '5s';
CREATE TABLE refunds (id bigint PRIMARY KEY);
ALTER TABLE refunds REPLICA IDENTITY FULL;

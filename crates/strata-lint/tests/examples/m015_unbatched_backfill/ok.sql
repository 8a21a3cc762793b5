UPDATE orders SET note = '' WHERE id BETWEEN 1 AND 5000;
CREATE TABLE refunds (id bigint PRIMARY KEY, reason text);
UPDATE refunds SET reason = 'n/a';

CREATE VIEW recent_orders AS SELECT * FROM orders;
DROP VIEW recent_orders;
CREATE FUNCTION order_total(bigint) RETURNS numeric LANGUAGE sql AS 'SELECT total FROM orders WHERE id = $1';
DROP FUNCTION order_total(bigint);

CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE TABLE order_log (order_id bigint);
CREATE VIEW recent_orders AS SELECT id FROM orders;

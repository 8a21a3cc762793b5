CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE TABLE order_log (order_id bigint);
CREATE RULE log_insert AS ON INSERT TO orders DO ALSO INSERT INTO order_log VALUES (NEW.id);

SET lock_timeout = '5s';
ALTER TABLE orders DISABLE TRIGGER orders_touch;
UPDATE orders SET note = 'archived' WHERE id < 100;
ALTER TABLE orders ENABLE TRIGGER orders_touch;

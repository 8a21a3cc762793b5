SET lock_timeout = '5s';
ALTER TABLE orders REPLICA IDENTITY FULL;

SET lock_timeout = '5s';
CREATE UNLOGGED TABLE import_rows (id bigint PRIMARY KEY, line text);
ALTER TABLE import_rows SET LOGGED;
ALTER TABLE orders SET (fillfactor = 80);

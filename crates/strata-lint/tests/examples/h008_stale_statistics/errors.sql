-- loaded and never analyzed
CREATE TABLE import_rows (id bigint, line text) WITH (autovacuum_enabled = off);
INSERT INTO import_rows SELECT i, 'line ' || i FROM generate_series(1, 5000) i;
-- analyzed once, then grown by 60%
CREATE TABLE orders (id bigint, note text);
INSERT INTO orders SELECT i, 'n' FROM generate_series(1, 5000) i;
ANALYZE orders;
INSERT INTO orders SELECT i, 'n' FROM generate_series(5001, 8000) i;

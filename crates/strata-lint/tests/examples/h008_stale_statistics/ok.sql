CREATE TABLE import_rows (id bigint, line text);
INSERT INTO import_rows SELECT i, 'line ' || i FROM generate_series(1, 5000) i;
ANALYZE import_rows;
-- too small for its statistics to matter
CREATE TABLE settings (key text, value text);
INSERT INTO settings SELECT 'k' || i, 'v' FROM generate_series(1, 100) i;

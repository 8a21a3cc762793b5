INSERT INTO u SELECT 'user' || g || '@example.com', 'n' || g FROM generate_series(1, 2000) g;
INSERT INTO v SELECT g, 'c' || g FROM generate_series(1, 2000) g;
INSERT INTO w SELECT 'c' || g, 'r' || g % 7 FROM generate_series(1, 2000) g;
INSERT INTO x SELECT g, g FROM generate_series(1, 2000) g;
ANALYZE;

INSERT INTO p SELECT g, 1 FROM generate_series(1, 100) g;
INSERT INTO t SELECT g, 1 FROM generate_series(1, 5000) g;
ANALYZE;

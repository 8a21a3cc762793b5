INSERT INTO e SELECT g, date '2024-01-01' + g % 700, 'c' || g FROM generate_series(1, 200000) g;
ANALYZE;

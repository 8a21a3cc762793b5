INSERT INTO p SELECT g FROM generate_series(1, 100000) g;
INSERT INTO c SELECT g, 1 + g % 100000, g, 'w' || g FROM generate_series(1, 300) g;
INSERT INTO c SELECT g, 1 + g % 100000, NULL, 'w' || g FROM generate_series(301, 200000) g;
INSERT INTO m_2024 SELECT g, date '2024-01-01' + g % 365 FROM generate_series(1, 100000) g;
INSERT INTO m_2025 SELECT g, date '2025-01-01' + g % 365 FROM generate_series(1, 100000) g;
ANALYZE;

CREATE TABLE documents (id bigint PRIMARY KEY, title text, body text, score numeric, tags text[]);
ALTER TABLE documents ALTER COLUMN title SET STATISTICS 500;
ALTER TABLE documents ALTER COLUMN tags SET STORAGE MAIN;
ALTER TABLE documents ALTER COLUMN body SET COMPRESSION pglz;
ALTER TABLE documents ALTER COLUMN score SET (n_distinct = 100);
CREATE TABLE readings (at date NOT NULL, value text) PARTITION BY RANGE (at);
CREATE TABLE readings_y2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

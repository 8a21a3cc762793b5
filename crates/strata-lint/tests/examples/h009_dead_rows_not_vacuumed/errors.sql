CREATE TABLE jobs (id bigint PRIMARY KEY, state text NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO jobs SELECT i, 'done' FROM generate_series(1, 50000) i;
-- half the rows deleted, and nothing vacuums them away
DELETE FROM jobs WHERE id % 2 = 0;

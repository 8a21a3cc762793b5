-- Keys, an index and a unique index added to a partitioned table with rows: its keys' indexes
-- cannot be built concurrently, so the keys are added as written; the indexes are built
-- partition by partition (see pair 62).
CREATE TABLE e (id integer NOT NULL, at date NOT NULL, code text NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE e_2024 PARTITION OF e FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE e_2025 PARTITION OF e FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

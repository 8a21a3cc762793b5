CREATE TABLE e (
    id integer NOT NULL, at date NOT NULL, code text NOT NULL,
    CONSTRAINT e_pkey PRIMARY KEY (id, at),
    CONSTRAINT e_code_at_key UNIQUE (code, at)
) PARTITION BY RANGE (at);
CREATE TABLE e_2024 PARTITION OF e FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE e_2025 PARTITION OF e FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX e_code_idx ON e (code);
CREATE UNIQUE INDEX e_id_code_at_idx ON e (id, code, at);

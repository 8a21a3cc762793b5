CREATE TABLE measurements (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE TABLE measurements_2026 () INHERITS (measurements);

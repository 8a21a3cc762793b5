CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, day date);
CREATE VIEW january AS SELECT id FROM events WHERE at BETWEEN '2026-01-01' AND '2026-01-31';
CREATE VIEW first_week AS SELECT id FROM events e WHERE e.day BETWEEN '2026-01-01' AND '2026-01-07';

CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, score int);
CREATE VIEW january AS SELECT id FROM events WHERE at >= '2026-01-01' AND at < '2026-02-01';
CREATE VIEW middling AS SELECT id FROM events WHERE score BETWEEN 3 AND 7;
CREATE VIEW open_ended AS SELECT id FROM events WHERE at >= '2026-01-01';

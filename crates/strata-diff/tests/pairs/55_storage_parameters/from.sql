CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload text)
    WITH (fillfactor = 90, autovacuum_enabled = false);
CREATE INDEX events_kind_idx ON events (kind) WITH (fillfactor = 80);
CREATE INDEX events_payload_idx ON events (payload);
CREATE MATERIALIZED VIEW event_kinds AS SELECT DISTINCT kind FROM events;
CREATE VIEW recent_events AS SELECT id, kind FROM events;

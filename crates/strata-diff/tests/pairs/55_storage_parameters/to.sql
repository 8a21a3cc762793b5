CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload text)
    WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, toast.autovacuum_enabled = false);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_payload_idx ON events (payload) WITH (fillfactor = 60, deduplicate_items = off);
CREATE TABLE archive (id bigint PRIMARY KEY, note text) WITH (fillfactor = 50);
CREATE INDEX archive_note_idx ON archive (note) WITH (fillfactor = 75);
CREATE MATERIALIZED VIEW event_kinds WITH (autovacuum_enabled = false) AS SELECT DISTINCT kind FROM events;
CREATE VIEW recent_events WITH (security_barrier = true) AS SELECT id, kind FROM events;

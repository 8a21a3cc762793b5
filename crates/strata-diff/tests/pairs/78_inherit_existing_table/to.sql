CREATE TABLE events (id bigint NOT NULL, kind text);
-- Declared with the parent's columns: what INHERIT on an existing table gives.
CREATE TABLE archived_events (id bigint NOT NULL, kind text, archived_at date) INHERITS (events);
CREATE TABLE old_events (id bigint NOT NULL, kind text);

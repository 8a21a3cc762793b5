CREATE TABLE events (id bigint NOT NULL, kind text);
CREATE TABLE archived_events (id bigint NOT NULL, kind text, archived_at date);
CREATE TABLE old_events (id bigint NOT NULL, kind text) INHERITS (events);

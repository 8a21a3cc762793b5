CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), kind text, source text);
CREATE TABLE login_events (user_name text NOT NULL, ip inet) INHERITS (events);
CREATE TABLE error_events (message text) INHERITS (events);
ALTER TABLE error_events ALTER COLUMN kind SET DEFAULT 'error';
ALTER TABLE error_events ALTER COLUMN kind SET NOT NULL;

CREATE TABLE events (id bigint NOT NULL, kind text, note text, score int);
CREATE TABLE login_events (user_name text) INHERITS (events);
-- Declares `kind` itself too: it keeps it when the parent changes.
CREATE TABLE audit_events (kind text NOT NULL, actor text) INHERITS (events);

-- A parent's column dropped, retyped and given a default, a check added: children follow.
CREATE TABLE events (id bigint NOT NULL, kind text DEFAULT 'misc', score bigint,
    CONSTRAINT events_score_check CHECK (score >= 0));
CREATE TABLE login_events (user_name text) INHERITS (events);
CREATE TABLE audit_events (kind text NOT NULL, actor text) INHERITS (events);

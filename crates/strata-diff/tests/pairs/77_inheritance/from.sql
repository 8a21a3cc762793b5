CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), kind text);
CREATE TABLE login_events (user_name text NOT NULL) INHERITS (events);

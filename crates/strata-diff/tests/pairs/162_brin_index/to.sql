CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz NOT NULL);
CREATE INDEX log_at_idx ON log USING brin (at);

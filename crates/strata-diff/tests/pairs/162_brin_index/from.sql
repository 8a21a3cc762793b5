CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz NOT NULL);

CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL, history timestamp(3)[]);

CREATE TABLE events (id bigint PRIMARY KEY, created_at bigint NOT NULL, expires_at text, sent_at numeric);

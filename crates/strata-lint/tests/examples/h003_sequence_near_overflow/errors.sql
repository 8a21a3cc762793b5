CREATE TABLE events (id serial PRIMARY KEY, body text);
ALTER SEQUENCE events_id_seq RESTART WITH 2100000000;
INSERT INTO events (body) VALUES ('a');
-- a bigint sequence feeding an integer column ends where the column does
CREATE SEQUENCE legacy_seq;
CREATE TABLE legacy (id integer PRIMARY KEY DEFAULT nextval('legacy_seq'), body text);
ALTER SEQUENCE legacy_seq OWNED BY legacy.id;
SELECT setval('legacy_seq', 1700000000);

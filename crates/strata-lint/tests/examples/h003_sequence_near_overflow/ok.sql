CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);
-- past the integer range, far from bigint's
ALTER TABLE events ALTER COLUMN id RESTART WITH 3000000000;
INSERT INTO events (body) VALUES ('a');
-- a cycling sequence wraps on purpose
CREATE SEQUENCE ticket_seq MAXVALUE 100 CYCLE;
SELECT setval('ticket_seq', 99);

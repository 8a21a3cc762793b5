CREATE TABLE tickets (number integer PRIMARY KEY);
INSERT INTO tickets VALUES (1), (1000000);
CREATE TABLE codes (code smallint PRIMARY KEY);
INSERT INTO codes VALUES (-100), (100);
-- a serial key is sequence-near-overflow's, not this rule's
CREATE TABLE events (id serial PRIMARY KEY);
INSERT INTO events VALUES (2100000000);

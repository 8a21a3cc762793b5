CREATE TABLE tickets (number integer PRIMARY KEY);
INSERT INTO tickets VALUES (1), (2000000000);
CREATE TABLE codes (code smallint UNIQUE);
INSERT INTO codes VALUES (-30000), (100);

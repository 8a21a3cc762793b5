CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- A small code table with chosen keys is not filled from a sequence.
CREATE TABLE levels (id smallint PRIMARY KEY, name text NOT NULL);

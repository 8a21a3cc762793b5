CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL,
  CONSTRAINT booking_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE slots (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, room int NOT NULL, during tstzrange NOT NULL,
    CONSTRAINT slots_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&) DEFERRABLE);
CREATE TABLE seats (id int PRIMARY KEY, code text);

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE slots (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL,
    CONSTRAINT slots_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));
CREATE TABLE seats (id int PRIMARY KEY DEFERRABLE, code text);

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE cache (k text PRIMARY KEY, v text);
CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL);

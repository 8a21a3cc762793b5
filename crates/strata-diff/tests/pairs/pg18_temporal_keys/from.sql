CREATE EXTENSION btree_gist;
CREATE TABLE room (id int, valid_at tstzrange, CONSTRAINT room_pkey PRIMARY KEY (id, valid_at));
CREATE TABLE booking (id int PRIMARY KEY, room_id int, during tstzrange, CONSTRAINT booking_room_fkey FOREIGN KEY (room_id, during) REFERENCES room (id, valid_at));
CREATE TABLE alias (name text, valid_at daterange, CONSTRAINT alias_key UNIQUE (name, valid_at WITHOUT OVERLAPS));

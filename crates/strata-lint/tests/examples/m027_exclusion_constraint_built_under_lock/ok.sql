SET lock_timeout = '5s';
CREATE TABLE rooms (id bigint PRIMARY KEY, booked tsrange);
ALTER TABLE rooms ADD CONSTRAINT rooms_no_overlap EXCLUDE USING gist (booked WITH &&);

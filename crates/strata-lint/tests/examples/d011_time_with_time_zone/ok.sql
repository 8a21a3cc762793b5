CREATE TABLE shops (id bigint PRIMARY KEY, opens_at time NOT NULL, time_zone text NOT NULL);

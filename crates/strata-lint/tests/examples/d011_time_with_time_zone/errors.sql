CREATE TABLE shops (id bigint PRIMARY KEY, opens_at timetz NOT NULL);

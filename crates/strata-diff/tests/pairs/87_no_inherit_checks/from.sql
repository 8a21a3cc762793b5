CREATE TABLE measurements (id integer PRIMARY KEY, reading numeric NOT NULL, CONSTRAINT measurements_reading_small CHECK (reading < 1000) NO INHERIT);
CREATE TABLE measurements_2024 () INHERITS (measurements);

CREATE TABLE measurements (id integer PRIMARY KEY, reading numeric NOT NULL, CONSTRAINT measurements_reading_small CHECK (reading < 5000) NO INHERIT, CONSTRAINT measurements_parent_empty CHECK (false) NO INHERIT);
COMMENT ON CONSTRAINT measurements_parent_empty ON measurements IS 'rows go to the children';
CREATE TABLE measurements_2024 (CONSTRAINT measurements_2024_positive CHECK (reading > 0) NO INHERIT) INHERITS (measurements);

CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
-- A shared sequence that no column owns is a choice, not serial.
CREATE SEQUENCE ticket_numbers;
CREATE TABLE tickets (id bigint PRIMARY KEY, number bigint NOT NULL DEFAULT nextval('ticket_numbers'));

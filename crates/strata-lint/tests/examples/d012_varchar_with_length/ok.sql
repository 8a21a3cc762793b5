CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL CHECK (char_length(name) <= 100), nick varchar);

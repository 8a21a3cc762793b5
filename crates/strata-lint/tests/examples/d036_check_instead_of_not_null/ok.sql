CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, nick text CHECK (nick IS NOT NULL OR id < 0));

CREATE TABLE users (id bigint PRIMARY KEY, email text CHECK (email IS NOT NULL), name text, CONSTRAINT name_set CHECK (name IS NOT NULL AND char_length(name) > 0));

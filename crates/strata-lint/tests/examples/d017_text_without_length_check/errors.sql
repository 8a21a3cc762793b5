CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL, subtitle varchar, notes text CHECK (char_length(title) < 10));

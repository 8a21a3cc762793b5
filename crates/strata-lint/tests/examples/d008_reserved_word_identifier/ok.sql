CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, position int, name text);

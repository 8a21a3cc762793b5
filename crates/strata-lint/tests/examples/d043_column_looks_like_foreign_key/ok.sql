CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE, category_id int REFERENCES categories ON DELETE SET NULL,
  -- No table for it, or another type than the key.
  external_id text, owner_id text);
CREATE TABLE owners (id bigint PRIMARY KEY);

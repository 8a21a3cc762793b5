CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE countries (code text PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, owner_id bigint REFERENCES users ON DELETE CASCADE, country_code text REFERENCES countries ON DELETE RESTRICT);
CREATE TABLE profiles (code text PRIMARY KEY REFERENCES countries ON DELETE CASCADE);

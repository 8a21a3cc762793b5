CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE categories (id int PRIMARY KEY);
CREATE TABLE person (id bigint PRIMARY KEY);
CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL, category_id int, person_id bigint);

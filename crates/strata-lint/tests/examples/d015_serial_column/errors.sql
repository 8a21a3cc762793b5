CREATE TABLE users (id serial PRIMARY KEY);
CREATE TABLE events (id bigserial PRIMARY KEY, n smallserial);

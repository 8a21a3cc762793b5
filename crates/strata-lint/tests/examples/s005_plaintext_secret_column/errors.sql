CREATE TABLE users (id bigint PRIMARY KEY, password text NOT NULL, reset_token text, api_key varchar(64));
CREATE TABLE integrations (id bigint PRIMARY KEY, client_secret text, refresh_token bytea);

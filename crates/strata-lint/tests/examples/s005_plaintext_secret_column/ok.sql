CREATE TABLE users (id bigint PRIMARY KEY, password_hash text NOT NULL, reset_token_digest bytea, api_key_encrypted bytea, token_count int, password_changed_at timestamptz);

CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL);
CREATE INDEX users_email_idx ON users (email);
-- Differs in direction, operator class, collation, predicate, method, INCLUDE or uniqueness.
CREATE INDEX users_email_desc_idx ON users (email DESC);
CREATE INDEX users_email_pattern_idx ON users (email text_pattern_ops);
CREATE INDEX users_email_c_idx ON users (email COLLATE "C");
CREATE INDEX users_email_named_idx ON users (email) WHERE name <> '';
CREATE INDEX users_email_hash_idx ON users USING hash (email);
CREATE INDEX users_email_cover_idx ON users (email) INCLUDE (name);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE INDEX users_upper_email_idx ON users (upper(email));

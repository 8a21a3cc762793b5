CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO users VALUES (1, 'ann@example.com'), (2, 'bob@example.com');
-- every email is distinct, so the concurrent build succeeds
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);

CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
INSERT INTO users VALUES (1, 'ann@example.com'), (2, 'ann@example.com');
-- fails: the duplicate email stops the concurrent build, which leaves the index invalid
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);

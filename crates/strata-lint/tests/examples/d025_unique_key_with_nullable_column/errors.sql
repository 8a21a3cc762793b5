CREATE TABLE pages (id bigint PRIMARY KEY, tenant_id bigint, slug text NOT NULL, UNIQUE (tenant_id, slug));
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE UNIQUE INDEX users_email_key ON users (email);

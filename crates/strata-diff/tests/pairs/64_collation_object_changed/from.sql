CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION de (provider = icu, locale = 'de-DE');
CREATE TABLE accounts (id int PRIMARY KEY, email text COLLATE ci NOT NULL, name text);
CREATE INDEX accounts_email_idx ON accounts (email);
CREATE VIEW account_emails AS SELECT id, email FROM accounts;
CREATE TABLE notes (id int PRIMARY KEY, body text COLLATE de);

-- The collation's definition changes while columns and an index use it; another is dropped.
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
CREATE TABLE accounts (id int PRIMARY KEY, email text COLLATE ci NOT NULL, name text COLLATE ci);
CREATE INDEX accounts_email_idx ON accounts (email);
CREATE VIEW account_emails AS SELECT id, email FROM accounts;
CREATE TABLE notes (id int PRIMARY KEY, body text);

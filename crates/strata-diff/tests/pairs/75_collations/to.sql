CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE accounts (id int PRIMARY KEY, email text COLLATE ci NOT NULL, name text);
CREATE TABLE handles (id int PRIMARY KEY, handle text COLLATE ci);

CREATE TABLE accounts (id integer PRIMARY KEY, email text UNIQUE WITH (fillfactor='80'));
COMMENT ON INDEX accounts_email_key IS 'old';

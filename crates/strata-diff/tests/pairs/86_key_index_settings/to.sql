CREATE TABLE accounts (id integer PRIMARY KEY WITH (fillfactor='70'), email text UNIQUE);
COMMENT ON INDEX accounts_pkey IS 'the key''s own index';

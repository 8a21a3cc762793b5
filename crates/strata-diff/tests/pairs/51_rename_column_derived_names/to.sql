CREATE TABLE customers (
  id int PRIMARY KEY,
  email text NOT NULL CONSTRAINT customers_email_length CHECK (char_length(email) <= 100),
  CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE INDEX customers_lower_email_idx ON customers (lower(email));

CREATE TABLE customers (
  id int PRIMARY KEY,
  mail text NOT NULL CONSTRAINT customers_mail_length CHECK (char_length(mail) <= 100),
  CONSTRAINT customers_mail_key UNIQUE (mail)
);
CREATE INDEX customers_lower_mail_idx ON customers (lower(mail));

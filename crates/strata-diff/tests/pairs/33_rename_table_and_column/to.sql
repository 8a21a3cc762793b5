CREATE TABLE client (id int CONSTRAINT customer_pkey PRIMARY KEY, email text NOT NULL);
CREATE UNIQUE INDEX customer_mail_idx ON client (email);

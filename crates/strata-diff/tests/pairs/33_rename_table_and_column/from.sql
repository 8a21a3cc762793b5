CREATE TABLE customer (id int PRIMARY KEY, mail text NOT NULL);
CREATE UNIQUE INDEX customer_mail_idx ON customer (mail);

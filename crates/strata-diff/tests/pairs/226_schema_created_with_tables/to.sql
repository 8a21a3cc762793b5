CREATE TABLE t (id int);
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int PRIMARY KEY, t_id int);
CREATE INDEX invoices_t_id_idx ON billing.invoices (t_id);

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE t (id int PRIMARY KEY);
CREATE TABLE billing.invoice (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), t_id int REFERENCES public.t (id));

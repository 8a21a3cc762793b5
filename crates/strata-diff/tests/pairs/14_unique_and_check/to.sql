CREATE TABLE t (id int PRIMARY KEY, email text CONSTRAINT t_email_key UNIQUE, age int CONSTRAINT t_age_check CHECK (age >= 0));

CREATE TABLE t (id int PRIMARY KEY, age int CONSTRAINT t_age_check CHECK (age >= 18));

CREATE TABLE p (id int NOT NULL UNIQUE, code text PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, p_id int);
CREATE TABLE d (id int PRIMARY KEY, p_code text REFERENCES p);

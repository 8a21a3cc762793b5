CREATE TABLE t (id int NOT NULL, code text NOT NULL, CONSTRAINT t_pkey PRIMARY KEY (id));

CREATE TABLE u (email text NOT NULL, name text);
CREATE UNIQUE INDEX u_email_key ON u (lower(email));
CREATE TABLE v (id integer NOT NULL, code text NOT NULL, CONSTRAINT v_pkey PRIMARY KEY (id, code));
CREATE TABLE w (code text NOT NULL, region text NOT NULL, CONSTRAINT w_code_region_key UNIQUE (code, region));
CREATE TABLE x (id integer NOT NULL, k integer NOT NULL, CONSTRAINT x_id_k_pkey PRIMARY KEY (id, k));

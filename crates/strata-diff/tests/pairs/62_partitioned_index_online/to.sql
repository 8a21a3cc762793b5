CREATE TABLE e (id integer NOT NULL, at date NOT NULL, code text NOT NULL, CONSTRAINT e_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE e_2024 PARTITION OF e FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE e_rest_of_the_rows_that_fall_outside_every_other_range_of_dates PARTITION OF e DEFAULT;
CREATE INDEX e_at_idx ON e (at);
CREATE INDEX e_code_idx ON e (code) WHERE code <> '';
CREATE UNIQUE INDEX e_code_at_key ON e (code, at);
CREATE INDEX e_code_covering ON e (code, at) INCLUDE (id);
CREATE INDEX e_at_again ON e (at) WHERE code <> 'x';

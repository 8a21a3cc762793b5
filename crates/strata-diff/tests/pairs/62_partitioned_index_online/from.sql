-- Indexes on a partitioned table with rows, built without blocking writes: on the parent
-- alone (ON ONLY), then one per partition CONCURRENTLY, each attached. The index it replaces
-- goes last; a unique one may fail on the rows. A second index over the same columns gets the
-- numbered names PostgreSQL gives its partitions' indexes.
CREATE TABLE e (id integer NOT NULL, at date NOT NULL, code text NOT NULL, CONSTRAINT e_pkey PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE e_2024 PARTITION OF e FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE e_rest_of_the_rows_that_fall_outside_every_other_range_of_dates PARTITION OF e DEFAULT;
CREATE INDEX e_code_old ON e (code, id);
CREATE INDEX e_at_idx ON e (at);

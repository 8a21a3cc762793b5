CREATE TABLE names (name text NOT NULL, n int) PARTITION BY RANGE (name);
CREATE TABLE names_a PARTITION OF names FOR VALUES FROM ('a') TO ('n');

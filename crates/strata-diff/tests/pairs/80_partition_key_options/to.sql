CREATE TABLE names (name text NOT NULL, n int) PARTITION BY RANGE (name COLLATE "C" text_pattern_ops);
CREATE TABLE names_a PARTITION OF names FOR VALUES FROM ('a') TO ('n');
CREATE TABLE codes (code text NOT NULL) PARTITION BY LIST (lower(code) COLLATE "C");
CREATE TABLE codes_x PARTITION OF codes FOR VALUES IN ('x');

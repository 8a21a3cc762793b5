CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12, 2) NOT NULL);
INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g;

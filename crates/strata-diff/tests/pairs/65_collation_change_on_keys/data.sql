INSERT INTO products SELECT g, 'P' || g, 'product ' || g FROM generate_series(1, 1000) g;
INSERT INTO order_lines SELECT g, 'P' || (1 + g % 1000), g FROM generate_series(1, 3000) g;

INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 1000) g;

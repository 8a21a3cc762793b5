INSERT INTO tasks SELECT g, 't' || g, 'd' || g, NULL FROM generate_series(1, 100) g;

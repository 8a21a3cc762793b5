INSERT INTO accounts SELECT g, 'user' || g || '@example.com', 'Name ' || g FROM generate_series(1, 1000) g;
INSERT INTO notes SELECT g, 'Straße ' || g FROM generate_series(1, 100) g;

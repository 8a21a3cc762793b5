INSERT INTO t VALUES (1, 'x', 1, NULL), (2, 'x', 2, NULL);

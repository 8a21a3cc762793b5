INSERT INTO t VALUES (1, 'short');

INSERT INTO t SELECT g, CASE WHEN g % 2 = 0 THEN 'a'::st ELSE 'c'::st END, g, g FROM generate_series(1, 100) g;

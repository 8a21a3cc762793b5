INSERT INTO archive VALUES (1, 'kept'), (2, 'kept too');
INSERT INTO live VALUES (1);

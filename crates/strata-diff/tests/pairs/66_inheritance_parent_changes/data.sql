INSERT INTO events VALUES (1, 'a', 'n', 1);
INSERT INTO login_events VALUES (2, 'login', 'n', 2, 'ann');
INSERT INTO audit_events VALUES (3, 'audit', 'n', 3, 'bob');

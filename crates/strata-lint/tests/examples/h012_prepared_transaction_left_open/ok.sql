CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);
INSERT INTO accounts VALUES (1, 100);
BEGIN;
UPDATE accounts SET balance = balance - 10 WHERE id = 1;
PREPARE TRANSACTION 'transfer-done';
-- the coordinator finishes what it prepared
COMMIT PREPARED 'transfer-done';
SELECT pg_sleep(6);

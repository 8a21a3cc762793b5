CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric NOT NULL);
INSERT INTO accounts VALUES (1, 100);
BEGIN;
UPDATE accounts SET balance = balance - 10 WHERE id = 1;
PREPARE TRANSACTION 'transfer-orphaned';
-- and the coordinator never comes back
SELECT pg_sleep(6);

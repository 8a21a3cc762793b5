-- Rows that break the constraints, loaded the way they get there: before the constraints
-- were added NOT VALID.
ALTER TABLE entries DROP CONSTRAINT entries_account_id_fkey,
    DROP CONSTRAINT entries_amount_check, DROP CONSTRAINT entries_memo_check;
INSERT INTO accounts VALUES (1);
INSERT INTO entries VALUES (1, 1, 5, 'ok'), (2, 99, 0, ''), (3, 1, 0, 'x');
ALTER TABLE entries ADD CONSTRAINT entries_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_amount_check CHECK (amount <> 0) NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_memo_check CHECK (memo <> '') NOT VALID;

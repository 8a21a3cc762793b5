CREATE TABLE accounts (id int PRIMARY KEY);
CREATE TABLE entries (id int PRIMARY KEY, account_id int, amount int, memo text);
ALTER TABLE entries ADD CONSTRAINT entries_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_amount_check CHECK (amount <> 0) NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_memo_check CHECK (memo <> '') NOT VALID;

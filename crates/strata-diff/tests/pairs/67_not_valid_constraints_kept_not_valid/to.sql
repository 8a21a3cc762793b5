-- Rows break the NOT VALID constraints: a changed expression, changed foreign key actions
-- and a column type change under a NOT VALID check must not check them.
CREATE TABLE accounts (id int PRIMARY KEY);
CREATE TABLE entries (id int PRIMARY KEY, account_id int, amount bigint, memo text);
ALTER TABLE entries ADD CONSTRAINT entries_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_amount_check CHECK (amount <> 0) NOT VALID;
ALTER TABLE entries ADD CONSTRAINT entries_memo_check CHECK (length(memo) > 1) NOT VALID;

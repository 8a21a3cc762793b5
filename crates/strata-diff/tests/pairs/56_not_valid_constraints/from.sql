CREATE TABLE accounts (id int PRIMARY KEY);
CREATE TABLE entries (id int PRIMARY KEY, account_id int, amount int,
    CONSTRAINT entries_amount_check CHECK (amount <> 0));
ALTER TABLE entries ADD CONSTRAINT entries_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
CREATE TABLE notes (id int PRIMARY KEY, entry_id int, body text);
ALTER TABLE notes ADD CONSTRAINT notes_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES entries (id) NOT VALID;
ALTER TABLE notes ADD CONSTRAINT notes_body_check CHECK (body <> '') NOT VALID;

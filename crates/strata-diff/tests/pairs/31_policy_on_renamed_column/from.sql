CREATE TABLE doc (id int PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_owner ON doc USING (owner = current_user);
CREATE INDEX doc_owner_idx ON doc (owner);

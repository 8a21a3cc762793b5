CREATE TABLE doc (id int PRIMARY KEY, author text NOT NULL, body text);
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY doc_owner ON doc USING (author = current_user);
CREATE INDEX doc_owner_idx ON doc (author);

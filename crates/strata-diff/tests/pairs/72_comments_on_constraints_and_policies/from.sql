CREATE TABLE accounts (id int PRIMARY KEY, code text, CONSTRAINT accounts_code_check CHECK (code <> ''));
COMMENT ON CONSTRAINT accounts_code_check ON accounts IS 'no empty codes';
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_all ON accounts USING (true);

CREATE TABLE accounts (id int PRIMARY KEY, code text, CONSTRAINT accounts_code_check CHECK (length(code) > 1));
COMMENT ON CONSTRAINT accounts_code_check ON accounts IS 'codes have two characters or more';
COMMENT ON CONSTRAINT accounts_pkey ON accounts IS 'the account number';
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_all ON accounts USING (true);
COMMENT ON POLICY accounts_all ON accounts IS 'everyone sees every account';

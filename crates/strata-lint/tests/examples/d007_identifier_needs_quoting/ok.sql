CREATE TABLE user_accounts (id bigint PRIMARY KEY, email text, amount$usd numeric);
CREATE INDEX user_accounts_email_idx ON user_accounts (email);

CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, phone_number text, email_verified boolean);
COMMENT ON COLUMN users.email IS 'Sign-in address; deleted with the account.';
COMMENT ON COLUMN users.phone_number IS 'For two-factor codes only.';

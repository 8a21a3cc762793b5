-- Roundcube before 2020122900: users.preferences was required, empty by default.
ALTER TABLE users ALTER COLUMN preferences SET DEFAULT '';
ALTER TABLE users ALTER COLUMN preferences SET NOT NULL;

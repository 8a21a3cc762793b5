CREATE ROLE lint_reader_role NOLOGIN;
CREATE TABLE accounts (id bigint PRIMARY KEY);
GRANT SELECT ON accounts TO lint_reader_role;

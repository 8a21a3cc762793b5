CREATE ROLE lint_delegate_role NOLOGIN;
CREATE TABLE accounts (id bigint PRIMARY KEY);
GRANT SELECT ON accounts TO lint_delegate_role WITH GRANT OPTION;

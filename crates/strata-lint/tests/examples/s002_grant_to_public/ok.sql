CREATE ROLE lint_reporting_role NOLOGIN;
CREATE TABLE accounts (id bigint PRIMARY KEY);
GRANT SELECT ON accounts TO lint_reporting_role;
-- EXECUTE to PUBLIC is a function's default, not a grant someone made.
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';

CREATE TABLE account (id int PRIMARY KEY, balance numeric(14,2) NOT NULL);
CREATE VIEW rich AS SELECT id, balance FROM account WHERE balance > 1000;
CREATE VIEW very_rich AS SELECT id FROM rich WHERE balance > 100000;
COMMENT ON VIEW rich IS 'accounts over 1000';
GRANT SELECT ON rich TO reader;

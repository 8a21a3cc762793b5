CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric NOT NULL)
  WITH (autovacuum_freeze_max_age = 100000);
INSERT INTO ledger VALUES (1, 10);

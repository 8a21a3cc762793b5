-- autovacuum must freeze this table after 100,000 transactions, and is off
CREATE TABLE ledger (id bigint PRIMARY KEY, amount numeric NOT NULL)
  WITH (autovacuum_freeze_max_age = 100000);
INSERT INTO ledger VALUES (1, 10);
-- 120,000 transactions, each taking a transaction ID
DO $$
BEGIN
  FOR i IN 1..120000 LOOP
    PERFORM pg_current_xact_id();
    COMMIT;
  END LOOP;
END
$$;

DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_pair_reader') THEN CREATE ROLE strata_pair_reader NOLOGIN; END IF; END $$;
CREATE TABLE t (id int PRIMARY KEY, owner text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (true);
CREATE POLICY only_mine ON t AS RESTRICTIVE USING (owner = current_user);

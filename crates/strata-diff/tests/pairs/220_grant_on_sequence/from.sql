DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_pair_app') THEN CREATE ROLE strata_pair_app NOLOGIN; END IF; END $$;
CREATE SEQUENCE s;

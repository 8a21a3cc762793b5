CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER strata_pair_remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'remote.invalid', dbname 'app');
CREATE FOREIGN TABLE remote_orders (id bigint NOT NULL, status text)
    SERVER strata_pair_remote OPTIONS (table_name 'orders');
CREATE VIEW open_orders AS SELECT id FROM remote_orders WHERE status = 'open';

CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER strata_pair_remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'remote.invalid', dbname 'app');
CREATE FOREIGN TABLE remote_orders (id bigint NOT NULL, status text, total numeric)
    SERVER strata_pair_remote OPTIONS (table_name 'orders_v2');
CREATE VIEW open_orders AS SELECT id FROM remote_orders WHERE status = 'open';
CREATE FOREIGN TABLE remote_customers (id bigint NOT NULL, name text)
    SERVER strata_pair_remote OPTIONS (table_name 'customers');

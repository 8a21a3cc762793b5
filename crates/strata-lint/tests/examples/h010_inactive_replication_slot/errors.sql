-- reserved for a replica that never connected (or was retired and forgotten)
SELECT pg_create_physical_replication_slot('forgotten_replica', true);
-- every write from now on is kept for it
CREATE TABLE events AS SELECT i AS id, md5(i::text) AS body FROM generate_series(1, 50000) i;

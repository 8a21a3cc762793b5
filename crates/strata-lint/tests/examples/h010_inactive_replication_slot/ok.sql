-- a slot whose replica was retired is dropped with it
SELECT pg_create_physical_replication_slot('retired_replica', true);
SELECT pg_drop_replication_slot('retired_replica');

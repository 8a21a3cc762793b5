SELECT pg_drop_replication_slot('forgotten_replica');

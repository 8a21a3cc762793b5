//! Health rules (one module per rule): they read a live database's statistics and catalogs
//! ([`crate::health::Health`]), so they run only on a database URL.
pub mod h001_invalid_index;
pub mod h002_unused_index;
pub mod h003_sequence_near_overflow;
pub mod h004_integer_key_near_overflow;
pub mod h005_transaction_id_age;
pub mod h006_table_bloat;
pub mod h007_index_bloat;
pub mod h008_stale_statistics;
pub mod h009_dead_rows_not_vacuumed;
pub mod h010_inactive_replication_slot;
pub mod h011_sequential_scans_on_large_table;
pub mod h012_prepared_transaction_left_open;

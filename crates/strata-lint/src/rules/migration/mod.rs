//! Migration rules (one module per rule).
pub mod m001_index_built_under_write_lock;
pub mod m002_concurrently_in_transaction;
pub mod m003_foreign_key_validated_under_lock;
pub mod m004_check_validated_under_lock;
pub mod m005_set_not_null_scans_table;
pub mod m006_add_column_rewrites_table;
pub mod m007_column_type_change_rewrites_table;
pub mod m008_required_column_without_default;
pub mod m009_lock_without_lock_timeout;
pub mod m010_drop_column_breaks_clients;
pub mod m011_rename_breaks_clients;
pub mod m012_drop_table_deletes_data;
pub mod m013_key_built_under_lock;
pub mod m014_drop_index_blocks_table;
pub mod m015_unbatched_backfill;

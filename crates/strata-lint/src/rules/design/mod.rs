//! Design rules (one module per rule).
pub mod d001_table_without_primary_key;
pub mod d002_foreign_key_without_index;
pub mod d003_foreign_key_implicit_on_delete;
pub mod d010_timestamp_without_time_zone;
pub mod d011_time_with_time_zone;
pub mod d012_varchar_with_length;
pub mod d013_char_type;
pub mod d014_money_type;
pub mod d015_serial_column;
pub mod d016_json_type;

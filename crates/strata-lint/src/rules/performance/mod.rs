//! Performance rules from the design's access patterns (one module per rule).
pub mod p001_pattern_without_index;
pub mod p002_pattern_needs_sort;
pub mod p003_index_unused_by_patterns;
pub mod p004_include_column_updated;
pub mod p005_offset_pagination;

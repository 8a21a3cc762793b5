//! Security rules (one module per rule).
pub mod s001_security_definer_without_search_path;
pub mod s002_grant_to_public;

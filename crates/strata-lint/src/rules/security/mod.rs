//! Security rules (one module per rule).
pub mod s001_security_definer_without_search_path;
pub mod s002_grant_to_public;
pub mod s003_tenant_table_without_rls;
pub mod s004_rls_not_forced;
pub mod s005_plaintext_secret_column;
pub mod s006_permissive_policy_for_everyone;
pub mod s007_rls_enabled_without_policies;
pub mod s008_security_definer_executable_by_public;
pub mod s009_view_bypasses_rls;
pub mod s010_grant_with_grant_option;
pub mod s011_security_definer_dynamic_sql;
pub mod s012_policies_without_rls;
pub mod s013_default_privileges_write_to_read_role;

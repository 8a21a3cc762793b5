//! ## What it does
//! Finds tenant tables without row-level security: tables with a tenant column (`tenant_id`,
//! `organization_id`, `org_id`, `workspace_id`, `account_id`) whose RLS is not enabled, in a
//! schema where at least one table already isolates tenants with RLS, or where the tenant
//! column references a table that holds tenants.
//!
//! ## Why it matters
//! Tenant isolation that lives only in application queries fails open: one missing `WHERE
//! tenant_id = ...`, one report written in SQL, one ORM relation loaded without the filter,
//! and a customer reads another's rows. With RLS the database refuses.
//!
//! ## Example
//! ```sql
//! CREATE TABLE projects (id bigint PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE projects ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
//! CREATE POLICY projects_tenant ON projects
//!   USING (tenant_id = current_setting('app.tenant_id')::uuid);
//! ```
//!
//! ## Fix
//! Enable and force row-level security on the table and add a policy comparing the tenant
//! column with the session's tenant.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    let any_rls = cx.model.tables.iter().any(|t| t.rls_enabled);
    for t in own_tables(cx.model) {
        if t.rls_enabled {
            continue;
        }
        let Some(col) = tenant_column(t) else {
            continue;
        };
        let refs_tenants = t
            .foreign_keys
            .iter()
            .any(|fk| fk.columns == [col.name.clone()] && is_tenant_table(&fk.ref_table.name));
        if any_rls || refs_tenants {
            r.add(
                obj(&t.name),
                format!(
                    "tenant table {} (tenant column {}) has no row-level security",
                    obj(&t.name),
                    col.name
                ),
                "ENABLE and FORCE ROW LEVEL SECURITY and add a policy on the tenant column",
            );
        }
    }
}

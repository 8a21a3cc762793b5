//! ## What it does
//! Finds privileges granted to `PUBLIC` on tables, views, sequences, schemas and routines,
//! beyond PostgreSQL's own defaults.
//!
//! ## Why it matters
//! `PUBLIC` is every role, present and future: a reporting role, a role created for a
//! contractor, the role of a compromised service. A grant to `PUBLIC` cannot be audited by
//! role and is rarely what was meant.
//!
//! ## Example
//! ```sql
//! CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(12, 2) NOT NULL);
//! GRANT SELECT ON accounts TO PUBLIC;
//! ```
//! Use instead: `GRANT SELECT ON accounts TO reporting;`
//!
//! ## Fix
//! `REVOKE ... FROM PUBLIC` and grant to the roles that need the privilege.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for g in &cx.model.grants {
        if g.grantee.eq_ignore_ascii_case("public") {
            let object = if g.object.schema.is_empty() {
                g.object.name.clone()
            } else {
                obj(&g.object)
            };
            r.add(
                object.clone(),
                format!(
                    "{} on {} {} is granted to PUBLIC",
                    g.privileges.join(", "),
                    g.object_kind.to_lowercase(),
                    object
                ),
                "revoke it from PUBLIC and grant it to the roles that need it",
            );
        }
    }
    // Grants the model carries as SQL (column privileges, overloaded routines).
    for v in &cx.model.verbatim {
        if v.kind == "grant" && v.name.ends_with(" to public") {
            r.add(
                v.name.clone(),
                format!(
                    "{} is granted to PUBLIC",
                    v.name.trim_end_matches(" to public")
                ),
                "revoke it from PUBLIC and grant it to the roles that need it",
            );
        }
    }
}

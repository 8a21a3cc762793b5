//! ## What it does
//! Finds privileges granted `WITH GRANT OPTION`.
//!
//! ## Why it matters
//! A role holding a privilege with grant option can pass it on to any role, and what it passes
//! on survives revoking it from that role only with `CASCADE`. Who can read a table stops being
//! something the schema says.
//!
//! ## Example
//! ```sql
//! GRANT SELECT ON accounts TO reporting WITH GRANT OPTION;
//! ```
//! Use instead: `GRANT SELECT ON accounts TO reporting;`
//!
//! ## Fix
//! `REVOKE GRANT OPTION FOR SELECT ON accounts FROM reporting CASCADE;` and grant directly to
//! the roles that need it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for g in &cx.model.grants {
        if g.with_grant_option {
            let object = if g.object.schema.is_empty() {
                g.object.name.clone()
            } else {
                obj(&g.object)
            };
            r.add(
                object.clone(),
                format!(
                    "{} on {} {} is granted to {} WITH GRANT OPTION",
                    g.privileges.join(", "),
                    g.object_kind.to_lowercase(),
                    object,
                    g.grantee
                ),
                "grant without GRANT OPTION, directly to each role that needs it",
            );
        }
    }
}

//! ## What it does
//! Finds `REVOKE` in a migration.
//!
//! ## Why it matters
//! The roles that held the privilege are usually running applications: from the commit on,
//! each of their queries on the object fails with "permission denied". Privileges are often
//! granted outside the schema's code (by a DBA, by default privileges), so a migration that
//! revokes what it did not grant locks out clients nobody reviewed.
//!
//! ## Example
//! ```sql
//! REVOKE INSERT, UPDATE, DELETE ON orders FROM app;
//! ```
//!
//! ## Fix
//! Revoke only after the application no longer needs the privilege (its released version stops
//! using it), and name the roles the change is about; suppress with the reason when it is
//! deliberate.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    for s in &cx.migration.statements {
        if s.kw(0) != Some("REVOKE") {
            continue;
        }
        let on = s.tokens.iter().position(|t| t.kw() == Some("ON"));
        let from = s.tokens.iter().rposition(|t| t.kw() == Some("FROM"));
        let target = on.and_then(|i| {
            let mut j = i + 1;
            if matches!(
                s.kw(j),
                Some("TABLE" | "SEQUENCE" | "SCHEMA" | "FUNCTION" | "TYPE" | "DOMAIN")
            ) {
                j += 1;
            }
            crate::migration::qualified_name(&s.tokens, j)
                .map(|(p, _)| object(&crate::migration::table_key(&p)))
        });
        let roles: Vec<String> = from
            .map(|f| {
                s.tokens[f + 1..]
                    .iter()
                    .filter_map(Token::ident)
                    .filter(|w| !["cascade", "restrict", "granted", "by"].contains(w))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        r.add_at(
            target.clone().unwrap_or_else(|| s.head()),
            format!(
                "`{}` takes privileges away from {}: their queries on {} fail from the commit on",
                s.head(),
                if roles.is_empty() {
                    "roles".to_string()
                } else {
                    roles.join(", ")
                },
                target.as_deref().unwrap_or("the object")
            ),
            "revoke only after the clients stop needing the privilege",
            &s.file,
            s.line,
        );
    }
}

//! ## What it does
//! Finds default privileges (`ALTER DEFAULT PRIVILEGES ... GRANT`) that give a read role, or
//! `PUBLIC`, a privilege that writes: `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE` or `TRIGGER`
//! on future tables, `UPDATE` on future sequences. A read role is one whose name says so: a
//! word of it (split at `_` and `-`) is `read`, `reader`, `readonly`, `ro`, `report`,
//! `reporting`, `analyst`, `analytics`, `bi`, `viewer` or `auditor`. The default privileges are
//! read from the database's catalog (`pg_default_acl`), so the rule runs on a database URL.
//!
//! ## Why it matters
//! Default privileges are granted again on every table created afterwards, silently: one
//! mistaken `ALTER DEFAULT PRIVILEGES ... GRANT ALL ... TO reporting` makes the reporting
//! role, its dashboards and every person with its password able to change or empty each new
//! table, and no `GRANT` in any migration shows it.
//!
//! ## Example
//! ```sql
//! ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO reporting;
//! ```
//! Use instead: `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reporting;`
//!
//! ## Fix
//! `ALTER DEFAULT PRIVILEGES [FOR ROLE owner] [IN SCHEMA s] REVOKE INSERT, UPDATE, DELETE,
//! TRUNCATE, TRIGGER ON TABLES FROM role;`, then revoke the same privileges on the tables
//! created since it was granted.

use crate::health::Health;
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Error;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Words that name a role meant only to read.
const READ_WORDS: [&str; 15] = [
    "read",
    "reader",
    "readers",
    "readonly",
    "ro",
    "report",
    "reports",
    "reporting",
    "analyst",
    "analysts",
    "analytics",
    "bi",
    "viewer",
    "viewers",
    "auditor",
];

fn is_read_role(role: &str) -> bool {
    role == "PUBLIC"
        || role
            .to_ascii_lowercase()
            .split(['_', '-'])
            .any(|w| READ_WORDS.contains(&w))
}

fn writes(object_type: &str, privilege: &str) -> bool {
    match object_type {
        "TABLES" => matches!(
            privilege,
            "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE" | "TRIGGER"
        ),
        "SEQUENCES" => privilege == "UPDATE",
        _ => false,
    }
}

/// A default ACL entry and grantee: owner, schema, object type, grantee.
type Entry<'a> = (&'a str, Option<&'a str>, &'a str, &'a str);

fn check(h: &Health, r: &mut Report) {
    // One finding per default ACL entry and grantee, with every write privilege it gives.
    let mut groups: Vec<(Entry, Vec<&str>)> = Vec::new();
    for d in &h.default_privileges {
        if !is_read_role(&d.grantee) || !writes(&d.object_type, &d.privilege) {
            continue;
        }
        let key = (
            d.owner.as_str(),
            d.schema.as_deref(),
            d.object_type.as_str(),
            d.grantee.as_str(),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, privileges)) => privileges.push(&d.privilege),
            None => groups.push((key, vec![&d.privilege])),
        }
    }
    for ((owner, schema, kind, grantee), privileges) in groups {
        let scope = schema
            .map(|s| format!(" IN SCHEMA {}", quote_ident(s)))
            .unwrap_or_default();
        let to = if grantee == "PUBLIC" {
            "PUBLIC".to_string()
        } else {
            quote_ident(grantee)
        };
        let privileges = privileges.join(", ");
        let who = if grantee == "PUBLIC" {
            "PUBLIC (every role, read roles included)".to_string()
        } else {
            format!("read role {grantee}")
        };
        r.add(
            format!(
                "default privileges of {owner}{} on {} to {grantee}",
                schema.map(|s| format!(" in {s}")).unwrap_or_default(),
                kind.to_lowercase()
            ),
            format!(
                "the default privileges of {owner}{} give {who} {privileges} on every new {}",
                schema.map(|s| format!(" in schema {s}")).unwrap_or_default(),
                kind.to_lowercase().trim_end_matches('s'),
            ),
            format!(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {}{scope} REVOKE {privileges} ON {kind} FROM {to}",
                quote_ident(owner)
            ),
        );
    }
}

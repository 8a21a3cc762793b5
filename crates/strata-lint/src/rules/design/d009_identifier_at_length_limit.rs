//! ## What it does
//! Finds names exactly 63 bytes long (tables, columns, indexes, constraints): PostgreSQL's
//! limit, which a longer name written in SQL is silently cut to.
//!
//! ## Why it matters
//! A name longer than 63 bytes is truncated with only a NOTICE, so the object is not called
//! what the migration, the ORM or the next migration says: `DROP INDEX` of the written name
//! fails, and two long names that share their first 63 bytes collide.
//!
//! ## Example
//! ```sql
//! CREATE INDEX idx_customer_subscription_invoices_customer_id_subscription_id_created_at
//!   ON customer_subscription_invoices (customer_id, subscription_id, created_at);
//! ```
//! Use instead: a shorter name such as `idx_csi_customer_subscription_created`.
//!
//! ## Fix
//! Rename the object to a name under 63 bytes and use that name everywhere.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const LIMIT: usize = 63;

fn check(cx: &Context, r: &mut Report) {
    let help =
        "rename it to a name shorter than 63 bytes, and use that name in code and migrations";
    for t in own_tables(cx.model) {
        if t.name.name.len() >= LIMIT {
            r.add(
                obj(&t.name),
                format!(
                    "table name {} is 63 bytes, PostgreSQL's limit: probably truncated",
                    t.name.name
                ),
                help,
            );
        }
        let mut names: Vec<(&str, &str)> = own_columns(t)
            .map(|c| ("column", c.name.as_str()))
            .collect();
        names.extend(t.indexes.iter().map(|i| ("index", i.name.as_str())));
        names.extend(
            t.foreign_keys
                .iter()
                .map(|f| ("constraint", f.name.as_str())),
        );
        names.extend(t.uniques.iter().map(|u| ("constraint", u.name.as_str())));
        names.extend(t.checks.iter().map(|c| ("constraint", c.name.as_str())));
        names.extend(
            t.primary_key
                .iter()
                .map(|p| ("constraint", p.name.as_str())),
        );
        for (kind, name) in names {
            if name.len() >= LIMIT {
                r.add(
                    member(t, name),
                    format!("{kind} name {name} on {} is 63 bytes, PostgreSQL's limit: probably truncated", obj(&t.name)),
                    help,
                );
            }
        }
    }
}

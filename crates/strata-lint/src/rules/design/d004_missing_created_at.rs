//! ## What it does
//! Finds tables without a creation timestamp: no `created_at` (or `inserted_at`,
//! `created_on`) column. Junction tables (whose primary key is made of their foreign keys) and
//! partitions are left out. (Keeping an `updated_at` column current is
//! `updated-at-without-trigger`; append-only tables need none.)
//!
//! ## Why it matters
//! "When was this row made" is the first question of every incident, every support ticket and
//! every incremental export. Added later, the column holds no history.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE tasks (
//!   id bigint PRIMARY KEY,
//!   title text NOT NULL,
//!   created_at timestamptz NOT NULL DEFAULT now()
//! );
//! ```
//!
//! ## Fix
//! Add `created_at timestamptz NOT NULL DEFAULT now()` (and, for rows that change,
//! `updated_at` with a trigger that keeps it).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const CREATED: [&str; 3] = ["created_at", "inserted_at", "created_on"];

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let junction = t.primary_key.as_ref().is_some_and(|pk| {
            pk.columns
                .iter()
                .all(|c| t.foreign_keys.iter().any(|fk| fk.columns.contains(c)))
        });
        if junction {
            continue;
        }
        if !t.columns.iter().any(|c| CREATED.contains(&c.name.as_str())) {
            r.add(
                obj(&t.name),
                format!("table {} has no created_at column", obj(&t.name)),
                "add created_at timestamptz NOT NULL DEFAULT now()",
            );
        }
    }
}

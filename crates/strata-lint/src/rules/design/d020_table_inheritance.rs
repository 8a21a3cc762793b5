//! ## What it does
//! Finds tables that inherit from another table (`INHERITS`).
//!
//! ## Why it matters
//! Table inheritance predates declarative partitioning and is a trap for both of its uses:
//! as partitioning, it needs triggers to route rows, its constraints and indexes are not
//! inherited (a primary key on the parent does not stop duplicates across children), and the
//! planner prunes less; as modelling, foreign keys to the parent do not see the children's
//! rows. PostgreSQL's advice is "Don't use table inheritance".
//!
//! ## Example
//! ```sql
//! CREATE TABLE measurements (id bigint PRIMARY KEY, at timestamptz NOT NULL);
//! CREATE TABLE measurements_2026 () INHERITS (measurements);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE measurements (id bigint, at timestamptz NOT NULL, PRIMARY KEY (id, at))
//!   PARTITION BY RANGE (at);
//! CREATE TABLE measurements_2026 PARTITION OF measurements
//!   FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
//! ```
//!
//! ## Fix
//! Use declarative partitioning for partitions, and a foreign key to a shared table for shared
//! columns.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in &cx.model.tables {
        if !t.inherits.is_empty() {
            let parents: Vec<String> = t.inherits.iter().map(obj).collect();
            r.add(
                obj(&t.name),
                format!("table {} inherits from {}", obj(&t.name), parents.join(", ")),
                "use declarative partitioning (PARTITION BY / PARTITION OF) or a foreign key to a shared table",
            );
        }
    }
}

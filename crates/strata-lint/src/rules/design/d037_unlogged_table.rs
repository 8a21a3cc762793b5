//! ## What it does
//! Finds `UNLOGGED` tables.
//!
//! ## Why it matters
//! An unlogged table is emptied after a crash and is not replicated: a standby promoted after
//! a failover has it empty, and backups taken from a standby miss its rows. That suits caches
//! and staging tables, and is a surprise anywhere else.
//!
//! ## Example
//! ```sql
//! CREATE UNLOGGED TABLE sessions (id uuid PRIMARY KEY, user_id bigint NOT NULL);
//! ```
//! Use instead: `CREATE TABLE sessions (...)`, or keep it unlogged and silence the finding
//! with the reason.
//!
//! ## Fix
//! `ALTER TABLE sessions SET LOGGED;` (rewrites the table and writes it to the WAL).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        if t.unlogged {
            r.add(
                obj(&t.name),
                format!(
                    "table {} is UNLOGGED: emptied by a crash, absent on standbys",
                    obj(&t.name)
                ),
                "make it logged (ALTER TABLE ... SET LOGGED) unless its rows may be lost",
            );
        }
    }
}

//! ## What it does
//! Finds tables where dead row versions that vacuum has not yet removed (`n_dead_tup`) number
//! 10,000 or more and make 20% or more of the table's row versions, the point past which
//! autovacuum with its default settings should already have vacuumed it.
//!
//! ## Why it matters
//! Every `UPDATE` and `DELETE` leaves the old row version behind until vacuum removes it. Until
//! then scans read past them, indexes keep pointing at them, and the space cannot be reused,
//! so the table grows (`table-bloat` is what remains after). Dead rows piling up mean vacuum
//! is not running on the table: autovacuum switched off for it, a long transaction or a
//! replication slot holding the rows visible, or thresholds too high for its size.
//!
//! ## Example
//! ```sql
//! CREATE TABLE jobs (id bigint PRIMARY KEY, state text) WITH (autovacuum_enabled = off);
//! -- a queue: every job is inserted, updated twice and deleted
//! ```
//!
//! ## Fix
//! `VACUUM (VERBOSE)` the table and read why it could not remove rows ("dead but not yet
//! removable" means something holds them: end it). Keep autovacuum on for it, and for a busy
//! table lower `autovacuum_vacuum_scale_factor` (or set `autovacuum_vacuum_threshold`).

use crate::health::{Health, percent};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Health(check);

/// Fewer dead rows than this are not worth a finding.
const MIN_DEAD: i64 = 10_000;
/// Twice autovacuum's default `autovacuum_vacuum_scale_factor` (0.2 of the table) is past
/// due; reported from the default itself, as the point where a vacuum should have run.
const DEAD_PERCENT: i64 = 20;

fn check(h: &Health, r: &mut Report) {
    for t in &h.tables {
        let versions = t.live_rows.saturating_add(t.dead_rows);
        let pct = percent(t.dead_rows, versions);
        if t.dead_rows < MIN_DEAD || pct < DEAD_PERCENT {
            continue;
        }
        let autovacuum = if t.autovacuum_off {
            " (autovacuum is switched off for it)"
        } else {
            ""
        };
        r.add(
            format!("{}.{}", t.schema, t.name),
            format!(
                "table {}.{} holds {} dead row versions, {pct}% of its rows, that vacuum has not removed{autovacuum}",
                t.schema, t.name, t.dead_rows
            ),
            format!(
                "VACUUM (VERBOSE) {}.{} and see what keeps rows from being removed; keep autovacuum on for it",
                quote_ident(&t.schema),
                quote_ident(&t.name)
            ),
        );
    }
}

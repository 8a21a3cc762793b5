//! ## What it does
//! Finds `ALTER TABLE ... ATTACH PARTITION` of a table that existed before the migration
//! without a CHECK constraint validated on it earlier in the migration.
//!
//! ## Why it matters
//! Attaching reads every row of the new partition to prove it fits the partition bound, while
//! holding ACCESS EXCLUSIVE on it (and on a default partition, which is scanned too). A valid
//! CHECK constraint that implies the bound lets PostgreSQL skip the scan, and the CHECK can be
//! added `NOT VALID` and validated without blocking anyone.
//!
//! ## Example
//! ```sql
//! ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE events_2025 ADD CONSTRAINT events_2025_bound
//!   CHECK (at >= '2025-01-01' AND at < '2026-01-01') NOT VALID;
//! ALTER TABLE events_2025 VALIDATE CONSTRAINT events_2025_bound;
//! ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
//! ALTER TABLE events_2025 DROP CONSTRAINT events_2025_bound;
//! ```
//!
//! ## Fix
//! Prove the bound with a validated CHECK first, as above (`strata diff` plans this recipe).

use crate::migration::{alter::alter_table, qualified_name, table_key};
use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

fn check(cx: &MigrationContext, r: &mut Report) {
    let m = cx.migration;
    for a in m.alters_of_existing() {
        for action in &a.actions {
            let Action::Other(t) = action else { continue };
            if t.first().and_then(Token::kw) != Some("ATTACH")
                || t.get(1).and_then(Token::kw) != Some("PARTITION")
            {
                continue;
            }
            let Some((parts, _)) = qualified_name(t, 2) else {
                continue;
            };
            let partition = table_key(&parts);
            if m.is_new(&partition, a.index) {
                continue;
            }
            // A CHECK validated on the partition earlier in the same file proves the bound.
            let proved = m.statements[..a.index].iter().any(|e| {
                e.file_index == a.stmt.file_index
                    && alter_table(e).is_some_and(|(tt, acts)| {
                        tt == partition
                            && acts.iter().any(|x| {
                                matches!(x, Action::ValidateConstraint { .. })
                                    || matches!(
                                        x,
                                        Action::AddConstraint {
                                            kind: ConstraintKind::Check { .. },
                                            not_valid: false,
                                            ..
                                        }
                                    )
                            })
                    })
            });
            if proved {
                continue;
            }
            r.add_at(
                object(&partition),
                format!(
                    "attaching {} to {} reads every row of it under ACCESS EXCLUSIVE to prove the partition bound",
                    object(&partition),
                    object(&a.table)
                ),
                "add a CHECK matching the bound NOT VALID, VALIDATE it, then attach",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}

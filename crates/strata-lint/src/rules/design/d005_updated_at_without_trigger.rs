//! ## What it does
//! Finds tables with an `updated_at` (or `modified_at`) column and no `BEFORE UPDATE` row
//! trigger to keep it current.
//!
//! ## Why it matters
//! Without a trigger the column is only as current as every client remembers to make it: one
//! script, one ORM bulk update or one psql session later, it lies. A trigger keeps it true for
//! every writer.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());
//! ```
//! Use instead: add
//! ```sql
//! CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
//! BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
//! CREATE TRIGGER tasks_touch BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
//! ```
//!
//! ## Fix
//! Create a `BEFORE UPDATE ... FOR EACH ROW` trigger that sets the column.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let Some(col) = t
            .columns
            .iter()
            .find(|c| c.name == "updated_at" || c.name == "modified_at")
        else {
            continue;
        };
        let kept = t.triggers.iter().any(|tr| {
            tr.timing == TriggerTiming::Before
                && tr.for_each_row
                && tr
                    .events
                    .iter()
                    .any(|e| matches!(e, TriggerEvent::Update(_)))
        });
        // A trigger carried as SQL (a constraint trigger, ...) counts too.
        let verbatim = cx.model.verbatim.iter().any(|v| {
            v.kind == "trigger" && v.on.as_ref() == Some(&t.name) && v.sql.contains("BEFORE UPDATE")
        });
        if !kept && !verbatim && col.generated.is_none() {
            r.add(
                member(t, &col.name),
                format!(
                    "{} has no BEFORE UPDATE trigger keeping it current",
                    member(t, &col.name)
                ),
                format!(
                    "add a BEFORE UPDATE FOR EACH ROW trigger that sets {}",
                    col.name
                ),
            );
        }
    }
}

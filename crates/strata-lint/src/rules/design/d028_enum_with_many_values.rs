//! ## What it does
//! Finds enum types with more than 20 values.
//!
//! ## Why it matters
//! An enum suits a small, fixed set that code switches on. A long list is usually data that
//! grows (countries, product categories, plan names): every new value is a migration, a value
//! can never be removed or renamed cheaply, and nothing can be said about a value (a label, a
//! sort order, whether it is still offered). A reference table holds that and changes with an
//! INSERT.
//!
//! ## Example
//! ```sql
//! CREATE TYPE country AS ENUM ('ad', 'ae', 'af', 'ag' /* ... 249 values */);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE countries (code text PRIMARY KEY CHECK (char_length(code) = 2), name text NOT NULL);
//! ```
//!
//! ## Fix
//! Create a reference table with the values and point a foreign key at it.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

const MAX_VALUES: usize = 20;

fn check(cx: &Context, r: &mut Report) {
    for e in &cx.model.enums {
        if e.values.len() > MAX_VALUES {
            r.add(
                obj(&e.name),
                format!(
                    "enum {} has {} values, more than {MAX_VALUES}",
                    obj(&e.name),
                    e.values.len()
                ),
                "use a reference table with a foreign key when the set is data that grows",
            );
        }
    }
}

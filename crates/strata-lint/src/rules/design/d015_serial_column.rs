//! ## What it does
//! Finds `serial`, `bigserial` and `smallserial` columns: a column whose default is `nextval`
//! of a sequence owned by that column, and which is not an identity column.
//!
//! ## Why it matters
//! `serial` is a macro, not a type: it creates a sequence with its own owner and grants, the
//! default can be overwritten by inserts with explicit values (which later collide with the
//! sequence), and copying the table's definition copies a default that points at the old
//! sequence. Identity columns (`GENERATED ALWAYS AS IDENTITY`) are the SQL-standard
//! replacement and keep the sequence part of the column.
//!
//! ## Example
//! ```sql
//! CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE users (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
//! ```
//!
//! ## Fix
//! Convert in place: `ALTER TABLE users ALTER COLUMN id DROP DEFAULT; DROP SEQUENCE
//! users_id_seq; ALTER TABLE users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH
//! <max(id) + 1>)`, in one transaction. `bigint` is the better type for a new key.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for c in own_columns(t) {
            if c.identity.is_some() || !c.default.as_deref().is_some_and(|d| d.contains("nextval("))
            {
                continue;
            }
            let owned = cx.model.sequences.iter().any(|s| {
                s.owned_by
                    .as_ref()
                    .is_some_and(|(table, col)| table == &t.name && col == &c.name)
            });
            if owned {
                r.add(
                    member(t, &c.name),
                    format!("column {} is a serial column", member(t, &c.name)),
                    "use an identity column (GENERATED ALWAYS AS IDENTITY)",
                );
            }
        }
    }
}

//! ## What it does
//! Finds `text` (and unbounded `varchar`) columns with no length limit: no CHECK constraint of
//! the table mentions the column together with `length`, `char_length`,
//! `character_length` or `octet_length` or restricts it to a list of values, and no domain
//! limits it. Tables that clients cannot insert into (row-level security on and no policy for
//! `INSERT`: an audit log filled by a trigger) are left out. Columns of a few bytes by nature
//! are not told apart: the finding is a note.
//!
//! ## Why it matters
//! An unbounded text field accepts a 1 GB value from a buggy or hostile client, which then
//! fills pages, indexes (a btree entry over about 2.7 kB fails on insert), logs and responses.
//! The design checklist sizes every text field.
//!
//! ## Example
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY, title text NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE tasks (id bigint PRIMARY KEY,
//!   title text NOT NULL CONSTRAINT tasks_title_length CHECK (char_length(title) <= 200));
//! ```
//!
//! ## Fix
//! Add a named CHECK on the length (`NOT VALID` then `VALIDATE` on a live table).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn limited(t: &Table, col: &str) -> bool {
    t.checks.iter().any(|c| {
        let e = c.expression.to_lowercase();
        [
            "length(",
            "char_length(",
            "character_length(",
            "octet_length(",
        ]
        .iter()
        .any(|f| e.contains(f))
            && mentions(&e, col)
            || (e.contains("= any (array[") || e.contains(" in (")) && mentions(&e, col)
    })
}

/// Whether `expr` names column `col` as a whole word.
fn mentions(expr: &str, col: &str) -> bool {
    let col = col.to_lowercase();
    expr.match_indices(&col).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + col.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        let clients_insert = !t.rls_enabled
            || t.policies
                .iter()
                .any(|p| matches!(p.command, PolicyCommand::All | PolicyCommand::Insert));
        if !clients_insert {
            continue;
        }
        for c in own_columns(t) {
            let unbounded = c.data_type.schema.is_none()
                && c.data_type.array_dims == 0
                && (c.data_type.name == "text" || c.data_type.name == "character varying");
            if unbounded && c.generated.is_none() && !limited(t, &c.name) {
                r.add(
                    member(t, &c.name),
                    format!("{} is text without a length limit", member(t, &c.name)),
                    format!("add CHECK (char_length({}) <= n)", quote_ident(&c.name)),
                );
            }
        }
    }
}

//! ## What it does
//! Finds tables, columns, views, types and indexes whose names need double quotes: upper-case
//! letters, spaces or other characters outside `a-z`, `0-9`, `_` and `$`. (Reserved words are
//! `reserved-word-identifier`.)
//!
//! ## Why it matters
//! PostgreSQL folds unquoted names to lower case, so `"UserAccounts"` must be quoted in every
//! query, by every person and tool, forever; `SELECT * FROM UserAccounts` fails. PostgreSQL's
//! advice is "Don't use upper case table or column names".
//!
//! ## Example
//! ```sql
//! CREATE TABLE "UserAccounts" ("Id" bigint PRIMARY KEY, "E-mail" text);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE user_accounts (id bigint PRIMARY KEY, email text);
//! ```
//!
//! ## Fix
//! Rename to lower-case snake_case (`ALTER TABLE "UserAccounts" RENAME TO user_accounts`).

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn odd(name: &str) -> bool {
    needs_quoting(name) && !is_reserved_keyword(name)
}

fn check(cx: &Context, r: &mut Report) {
    let help = "rename it to lower-case snake_case";
    for t in own_tables(cx.model) {
        if odd(&t.name.name) {
            r.add(
                obj(&t.name),
                format!("table name {} needs quotes", t.name.quoted()),
                help,
            );
        }
        for c in own_columns(t) {
            if odd(&c.name) {
                r.add(
                    member(t, &c.name),
                    format!(
                        "column {}.{} needs quotes",
                        t.name.quoted(),
                        quote_ident(&c.name)
                    ),
                    help,
                );
            }
        }
        for i in &t.indexes {
            if odd(&i.name) {
                r.add(
                    member(t, &i.name),
                    format!("index name {} needs quotes", quote_ident(&i.name)),
                    help,
                );
            }
        }
    }
    for v in &cx.model.views {
        if odd(&v.name.name) {
            r.add(
                obj(&v.name),
                format!("view name {} needs quotes", v.name.quoted()),
                help,
            );
        }
    }
    for e in &cx.model.enums {
        if odd(&e.name.name) {
            r.add(
                obj(&e.name),
                format!("type name {} needs quotes", e.name.quoted()),
                help,
            );
        }
    }
}

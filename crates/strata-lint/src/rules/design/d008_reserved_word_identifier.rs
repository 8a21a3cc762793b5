//! ## What it does
//! Finds tables, columns and views named with a word PostgreSQL reserves (`user`, `order`,
//! `group`, `check`, `left`, ...): one that cannot name a table or column without quotes.
//!
//! ## Why it matters
//! A reserved word must be double-quoted everywhere it is used as a name; unquoted, the query
//! is a syntax error or, worse, means something else (`SELECT user FROM t` returns the session's
//! role name, not the column).
//!
//! ## Example
//! ```sql
//! CREATE TABLE "order" (id bigint PRIMARY KEY, "user" bigint NOT NULL);
//! ```
//! Use instead:
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
//! ```
//!
//! ## Fix
//! Rename: plural table names and `_id` foreign key names avoid most reserved words.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

/// PostgreSQL's reserved keywords and those that cannot name a table or column
/// (`pg_get_keywords()` categories `R` and `T`; `system_user` from PostgreSQL 16), sorted.
/// Words such as `position` or `name` may be column names unquoted and are not listed.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

fn is_reserved(word: &str) -> bool {
    RESERVED.binary_search(&word).is_ok()
}

fn check(cx: &Context, r: &mut Report) {
    let help = "rename it to a word that is not reserved";
    for t in own_tables(cx.model) {
        if is_reserved(&t.name.name) {
            r.add(
                obj(&t.name),
                format!("table name {} is a reserved word", t.name.name),
                help,
            );
        }
        for c in own_columns(t) {
            if is_reserved(&c.name) {
                r.add(
                    member(t, &c.name),
                    format!(
                        "column {} of {} is named with the reserved word {}",
                        c.name,
                        obj(&t.name),
                        c.name
                    ),
                    help,
                );
            }
        }
    }
    for v in &cx.model.views {
        if is_reserved(&v.name.name) {
            r.add(
                obj(&v.name),
                format!("view name {} is a reserved word", v.name.name),
                help,
            );
        }
    }
}

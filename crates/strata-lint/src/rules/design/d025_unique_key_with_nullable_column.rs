//! ## What it does
//! Finds unique constraints and unique indexes over a nullable column that do not say
//! `NULLS NOT DISTINCT`.
//!
//! ## Why it matters
//! In a unique key NULLs are distinct from each other, so any number of rows with a NULL in a
//! key column pass: `UNIQUE (tenant_id, slug)` with a nullable `tenant_id` allows the same slug
//! twice in the shared (NULL) tenant. That is sometimes the intent (an optional unique email),
//! often a hole.
//!
//! ## Example
//! ```sql
//! CREATE TABLE pages (id bigint PRIMARY KEY, tenant_id bigint, slug text NOT NULL, UNIQUE (tenant_id, slug));
//! ```
//! Use instead (PostgreSQL 15 or newer):
//! ```sql
//! CREATE TABLE pages (id bigint PRIMARY KEY, tenant_id bigint, slug text NOT NULL,
//!   UNIQUE NULLS NOT DISTINCT (tenant_id, slug));
//! ```
//!
//! ## Fix
//! Make the column `NOT NULL`, declare the key `NULLS NOT DISTINCT`, or, when several NULLs
//! are meant, silence the finding with the reason.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Info;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Model(check);

fn check(cx: &Context, r: &mut Report) {
    for t in own_tables(cx.model) {
        for (i, _) in table_indexes(t) {
            if !i.unique || i.nulls_not_distinct {
                continue;
            }
            let nullable: Vec<String> = i
                .keys
                .iter()
                .filter_map(|k| k.column_name())
                .filter(|c| t.column(c).is_some_and(|c| c.nullable))
                .map(String::from)
                .collect();
            if !nullable.is_empty() {
                r.add(
                    member(t, &i.name),
                    format!(
                        "unique key {} on {} does not hold for rows where {} is NULL",
                        i.name,
                        obj(&t.name),
                        nullable.join(" or ")
                    ),
                    "make the column NOT NULL or declare the key NULLS NOT DISTINCT",
                );
            }
        }
    }
}

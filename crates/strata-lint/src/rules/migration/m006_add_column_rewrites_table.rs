//! ## What it does
//! Finds `ADD COLUMN` on a table that existed before the migration when the column makes
//! PostgreSQL rewrite the table: a volatile default (`random()`, `clock_timestamp()`,
//! `gen_random_uuid()`, `nextval(...)`, and so `serial` types, or a function of your own not
//! declared `IMMUTABLE` or `STABLE`), or a stored generated column. A function's volatility
//! is read from `pg_proc` on the server the migration is traced on (`strata lint --trace`) and
//! from the `CREATE FUNCTION` statements of the migration itself; without a server, built-in
//! volatile functions are known by name.
//!
//! ## Why it matters
//! Since PostgreSQL 11 a column with a constant or stable default (`0`, `now()`) is added
//! without touching the rows. A volatile default differs row by row, so every row is written
//! into a new file, with its indexes, under ACCESS EXCLUSIVE: no reads or writes for as long
//! as copying the table takes, and twice its disk space meanwhile.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
//! ```
//! Use instead:
//! ```sql
//! ALTER TABLE orders ADD COLUMN public_id uuid;
//! ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
//! -- then fill the existing rows in batches
//! ```
//!
//! ## Fix
//! Add the column without the default (or with a constant one), set the default in a second
//! statement (new rows only), and backfill the old rows in batches.

use crate::rules::prelude::*;

pub const SEVERITY: Severity = Severity::Warning;
pub const FIXABLE: bool = false;
pub const CHECK: Check = Check::Migration(check);

/// Built-in functions whose volatility is `v` in `pg_proc` and that appear in defaults: what
/// the rule knows when no server's `pg_proc` was read (a static lint without `--trace`).
const VOLATILE: [&str; 12] = [
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "random_normal",
];

/// Whether a call of the function named `parts` at statement `i` is volatile: from the
/// functions the migration created earlier and the server's `pg_proc` when it was read, else
/// from the built-in list.
fn volatile(m: &Migration, parts: &[String], i: usize) -> bool {
    match m.volatility(parts, i) {
        Some(v) => v == crate::trace::Volatility::Volatile,
        None => {
            !m.knows_server_functions()
                && parts
                    .first()
                    .is_some_and(|p| p == "pg_catalog" || parts.len() == 1)
                && parts
                    .last()
                    .is_some_and(|name| VOLATILE.contains(&name.as_str()))
        }
    }
}

fn why(m: &Migration, i: usize, rest: &[Token]) -> Option<String> {
    if let Some(ty) = rest.first().and_then(Token::kw)
        && [
            "SERIAL",
            "BIGSERIAL",
            "SMALLSERIAL",
            "SERIAL4",
            "SERIAL8",
            "SERIAL2",
        ]
        .contains(&ty)
    {
        return Some(format!(
            "its type {} fills every row from a sequence",
            ty.to_lowercase()
        ));
    }
    let generated = rest.iter().any(|t| t.kw() == Some("GENERATED"));
    if generated && rest.iter().any(|t| t.kw() == Some("STORED")) {
        return Some("a stored generated column is computed and written for every row".into());
    }
    let default = rest.iter().position(|t| t.kw() == Some("DEFAULT"))?;
    let expr = &rest[default + 1..];
    (0..expr.len()).find_map(|k| {
        // A call: `name(` or `schema.name(`, not the second half of a qualified name.
        let first = expr[k].ident()?;
        if k >= 1 && expr[k - 1].is('.') {
            return None;
        }
        let (parts, open) = if expr.get(k + 1).is_some_and(|t| t.is('.')) {
            (
                vec![first.to_string(), expr.get(k + 2)?.ident()?.to_string()],
                k + 3,
            )
        } else {
            (vec![first.to_string()], k + 1)
        };
        (expr.get(open).is_some_and(|t| t.is('(')) && volatile(m, &parts, i)).then(|| {
            format!(
                "its default {}() is volatile, so every row gets its own value",
                parts.join(".")
            )
        })
    })
}

fn check(cx: &MigrationContext, r: &mut Report) {
    for a in cx.migration.alters_of_existing() {
        for action in &a.actions {
            let Action::AddColumn { column, rest } = action else {
                continue;
            };
            let Some(reason) = why(cx.migration, a.index, rest) else {
                continue;
            };
            r.add_at(
                format!("{}.{column}", object(&a.table)),
                format!(
                    "adding {}.{column} rewrites the table under {}: {reason}",
                    object(&a.table),
                    lock_name(Operation::AddColumnVolatileDefault)
                ),
                "add the column without that default, SET DEFAULT separately, and backfill old rows in batches",
                &a.stmt.file,
                a.stmt.line,
            );
        }
    }
}

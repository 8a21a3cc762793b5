//! ## What it does
//! Finds `ADD COLUMN` on a table that existed before the migration when the column makes
//! PostgreSQL rewrite the table: a volatile default (`random()`, `clock_timestamp()`,
//! `gen_random_uuid()`, `nextval(...)`, and so `serial` types), or a stored generated column.
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

/// Built-in functions whose volatility is `v` in `pg_proc` and that appear in defaults.
const VOLATILE: [&str; 12] = [
    "RANDOM",
    "GEN_RANDOM_UUID",
    "UUID_GENERATE_V1",
    "UUID_GENERATE_V1MC",
    "UUID_GENERATE_V4",
    "UUIDV4",
    "UUIDV7",
    "CLOCK_TIMESTAMP",
    "TIMEOFDAY",
    "NEXTVAL",
    "TXID_CURRENT",
    "RANDOM_NORMAL",
];

fn why(rest: &[Token]) -> Option<String> {
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
    rest[default + 1..].windows(2).find_map(|w| {
        let f = w[0].kw()?;
        (VOLATILE.contains(&f) && w[1].is('(')).then(|| {
            format!(
                "its default {}() is volatile, so every row gets its own value",
                f.to_lowercase()
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
            let Some(reason) = why(rest) else { continue };
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

//! The safe recipes for changes to a table that already has rows and readers, as SQL: the
//! planner renders its steps with them, and `strata lint --fix` rewrites a migration's
//! statements with the same functions, so a fixed migration is what `strata diff` would plan.
//!
//! - an index is built `CONCURRENTLY` ([`concurrently`]), outside a transaction block;
//! - a foreign key or check is added `NOT VALID` and validated in a transaction of its own
//!   ([`not_valid_then_validate`]);
//! - `SET NOT NULL` is proved first by a validated `CHECK (column IS NOT NULL)`
//!   ([`set_not_null`]);
//! - a locking statement waits at most `lock_timeout` ([`lock_timeout`]).

pub use crate::render::{not_valid_then_validate, set_not_null};

/// `CREATE [UNIQUE] INDEX ...` with `CONCURRENTLY` after `INDEX`: SHARE UPDATE EXCLUSIVE
/// instead of SHARE, so writes go on during the build. Comments before `INDEX` are skipped;
/// text without an `INDEX` keyword is returned unchanged.
pub fn concurrently(create_index: &str) -> String {
    let b = create_index.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'-' && b.get(i + 1) == Some(&b'-') {
            i = create_index[i..].find('\n').map_or(b.len(), |n| i + n);
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i = create_index[i..].find("*/").map_or(b.len(), |n| i + n + 2);
        } else if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            let word = &create_index[start..i];
            if word.eq_ignore_ascii_case("INDEX") {
                return format!("{} CONCURRENTLY{}", &create_index[..i], &create_index[i..]);
            }
            // Only CREATE and UNIQUE come before INDEX.
            if !(word.eq_ignore_ascii_case("CREATE") || word.eq_ignore_ascii_case("UNIQUE")) {
                return create_index.to_string();
            }
        } else {
            i += 1;
        }
    }
    create_index.to_string()
}

/// The statement that bounds how long the next locking statement waits for its lock: `SET
/// LOCAL` inside a transaction block (it ends with the block), `SET` outside one.
pub fn lock_timeout(value: &str, in_transaction: bool) -> String {
    format!(
        "SET {}lock_timeout = {};",
        if in_transaction { "LOCAL " } else { "" },
        strata_model::quote_literal(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrently_goes_after_index_whatever_the_spacing_and_case() {
        assert_eq!(
            concurrently("CREATE INDEX i ON t (a);"),
            "CREATE INDEX CONCURRENTLY i ON t (a);"
        );
        assert_eq!(
            concurrently("create unique\n  index if not exists i on t (a)"),
            "create unique\n  index CONCURRENTLY if not exists i on t (a)"
        );
        assert_eq!(
            concurrently("CREATE /* x */ INDEX ON t (a)"),
            "CREATE /* x */ INDEX CONCURRENTLY ON t (a)"
        );
        // Not an index: unchanged, not an INDEX word further on.
        assert_eq!(
            concurrently("CREATE TABLE index (a int)"),
            "CREATE TABLE index (a int)"
        );
    }

    #[test]
    fn lock_timeout_is_local_in_a_transaction_block() {
        assert_eq!(lock_timeout("5s", true), "SET LOCAL lock_timeout = '5s';");
        assert_eq!(lock_timeout("5s", false), "SET lock_timeout = '5s';");
    }
}

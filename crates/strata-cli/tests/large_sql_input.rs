//! A schema of thousands of tables reads from SQL: the whole file runs in one transaction,
//! which takes several locks per table, more than a default server's lock table holds.

mod common;

use std::fmt::Write as _;

use common::*;

const TABLES: usize = 3000;

#[test]
fn three_thousand_tables_with_keys_and_indexes_read_from_sql() {
    let mut sql = String::new();
    for i in 0..TABLES {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(", parent integer REFERENCES public.t_{} (id)", i - 1)
        };
        let _ = writeln!(
            sql,
            "CREATE TABLE public.t_{i} (id integer PRIMARY KEY, name text NOT NULL UNIQUE{parent});\n\
             CREATE INDEX t_{i}_name_lower ON public.t_{i} (lower(name));"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("big.sql");
    std::fs::write(&file, sql).expect("write SQL");
    // A generous limit: the point is the lock table, not the speed of a loaded machine.
    let out = strata()
        .args(["--sql-timeout", "600", "inspect", "--format", "sql"])
        .arg(&file)
        .output()
        .expect("run strata inspect");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stdout.matches("CREATE TABLE public.t_").count(),
        TABLES,
        "{stderr}"
    );
    assert_eq!(stdout.matches("_name_lower ON public.t_").count(), TABLES);
}

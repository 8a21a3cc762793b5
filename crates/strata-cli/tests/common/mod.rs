//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

pub fn strata() -> Command {
    let mut c = Command::cargo_bin("strata").expect("strata binary");
    c.env("NO_COLOR", "1");
    c
}

/// `strata build PATH` output; fails the test with the CLI's stderr if it does not build.
pub fn build(path: &Path) -> String {
    let out = strata()
        .arg("build")
        .arg(path)
        .output()
        .expect("run strata build");
    assert!(
        out.status.success(),
        "strata build {} failed:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 SQL")
}

/// A fresh database on the shared throwaway cluster with `sql` applied.
pub fn fresh_db_with(sql: &str) -> postgres::Client {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    if let Err(e) = strata_pg::apply_sql(&mut client, sql) {
        panic!("applying the SQL failed: {e}\n--- SQL ---\n{sql}");
    }
    client
}

/// The corpus copy of pagila, used as it is.
pub fn pagila() -> PathBuf {
    repo_root().join("corpus/pagila-schema.sql")
}

/// Runs an SQL file with psql (stopping at the first error).
pub fn psql_file(cluster: &strata_pg::Cluster, db: &str, file: &Path) {
    let out = Command::new(cluster.bin_dir().join("psql"))
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &cluster.url(db),
            "-f",
        ])
        .arg(file)
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql -f {} failed:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pg_dump --schema-only --no-owner`, without the `\\restrict`/`\\unrestrict` lines whose
/// random key differs per run.
pub fn pg_dump(cluster: &strata_pg::Cluster, db: &str) -> String {
    let out = Command::new(cluster.bin_dir().join("pg_dump"))
        .args(["--schema-only", "--no-owner", "-d", &cluster.url(db)])
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8 dump")
        .lines()
        .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Where two dumps first differ, for assertion messages.
pub fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  original:   {x}\n  round trip: {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

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

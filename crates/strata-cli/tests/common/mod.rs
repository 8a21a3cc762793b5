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
    let out = Command::new(cluster.client_program("psql").expect("psql"))
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
/// random key differs per run. Panics when no `pg_dump` can read the cluster's version: use
/// [`schema_snapshot`] in tests that run on every version.
pub fn pg_dump(cluster: &strata_pg::Cluster, db: &str) -> String {
    let pg_dump = cluster.pg_dump().unwrap_or_else(|| {
        panic!(
            "no pg_dump can dump PostgreSQL {}",
            cluster.server_version_num()
        )
    });
    let out = Command::new(pg_dump)
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

/// What a round trip compares, on any server version: `pg_dump --schema-only --no-owner` (see
/// [`pg_dump`]) when a `pg_dump` can read the server, else — PostgreSQL 16 and newer next to
/// Debian's `pg_dump` 15, which refuses newer servers — Strata's own model of the database
/// (`strata inspect --format json`), which must then come without warnings so that nothing
/// the model leaves out can hide a difference. The columns of a table that inherits are
/// compared as a set there: `pg_dump` prints only a child's own columns, so the order in which
/// it got its inherited ones (a column a parent gained after the child existed comes last) is
/// not compared by `pg_dump` either.
pub fn schema_snapshot(cluster: &strata_pg::Cluster, db: &str) -> String {
    if cluster.pg_dump().is_some() {
        return pg_dump(cluster, db);
    }
    let out = strata()
        .args(["inspect", "--format", "json", &cluster.url(db)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "strata inspect --format json did not exit cleanly:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "strata inspect warned, so its model cannot stand in for pg_dump:\n{stderr}"
    );
    let mut model: serde_json::Value = serde_json::from_slice(&out.stdout).expect("model JSON");
    if let Some(tables) = model.get_mut("tables").and_then(|t| t.as_array_mut()) {
        for table in tables {
            let inherits = table
                .get("inherits")
                .and_then(|i| i.as_array())
                .is_some_and(|i| !i.is_empty());
            if let (true, Some(columns)) = (
                inherits,
                table.get_mut("columns").and_then(|c| c.as_array_mut()),
            ) {
                columns.sort_by_key(|c| c.get("name").and_then(|n| n.as_str()).map(str::to_string));
            }
        }
    }
    serde_json::to_string_pretty(&model).expect("model JSON")
}

/// Features of the language that older servers lack, with the first `server_version_num`
/// that has them.
const NEWER_SERVER_FEATURES: &[(&str, u32)] = &[("NULLS NOT DISTINCT", 150000)];

/// When the shared cluster is too old for a feature `sql` uses (the version matrix runs the
/// round trips on PostgreSQL 14 too), checks that the server refuses the script and says why
/// the caller should not go on with it; `None` when the server has everything `sql` uses.
pub fn needs_newer_server(sql: &str) -> Option<String> {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let version = cluster.server_version_num();
    let (feature, since) = NEWER_SERVER_FEATURES
        .iter()
        .find(|(feature, since)| version < *since && sql.contains(feature))?;
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    let error = strata_pg::apply_sql(&mut client, sql)
        .expect_err("an older server accepted a newer feature");
    let first_word = feature.split(' ').next().unwrap_or(feature);
    assert!(
        error
            .to_string()
            .contains(&format!("syntax error at or near \"{first_word}\"")),
        "expected PostgreSQL {version} to refuse {feature}, got: {error}"
    );
    Some(format!(
        "uses {feature}, which PostgreSQL {} does not have ({}+)",
        version / 10000,
        since / 10000
    ))
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

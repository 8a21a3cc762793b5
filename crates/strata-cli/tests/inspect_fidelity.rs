//! Catalog fidelity: each `tests/fixtures/fidelity/*.sql` uses features a real schema relies
//! on (storage parameters, NOT VALID constraints, deferrable keys, column settings, ...). For
//! each, on a real server: load it with psql, `strata inspect` it without any warning, and
//! apply what inspect printed — as SQL, and as `.strata` built again — to fresh databases:
//! `pg_dump --schema-only --no-owner` must be identical to the original's every time. A fixture
//! whose first line is `-- strata warns: TEXT` holds what `.strata` cannot write: its `.strata`
//! inspect must warn with TEXT (and its SQL still round-trips).
//!
//! The version matrix runs this on PostgreSQL 14 to 18, where the catalog differs most (16 and
//! 17 changed `attstattarget` and the collation locale columns, 18 added NOT NULL constraints
//! and `conenforced`). A fixture with a line `-- min_version: N` uses what PostgreSQL N brought
//! and is skipped on older servers. Where `pg_dump` cannot read the server (Debian's is 15),
//! Strata's own model is compared instead (`common::schema_snapshot`).

mod common;

use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let dir = common::repo_root().join("crates/strata-cli/tests/fixtures/fidelity");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fidelity")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

/// `strata inspect --format FORMAT URL`: its stdout, failing on any warning (exit code 1).
fn inspect(url: &str, format: &str, label: &str) -> String {
    let out = common::strata()
        .args(["inspect", "--format", format, url])
        .output()
        .expect("run strata inspect");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{label}: strata inspect --format {format} warned or failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The `-- min_version: N` line of a fixture: the first PostgreSQL major it runs on.
fn min_version(source: &str) -> Option<u32> {
    source.lines().find_map(|l| {
        l.strip_prefix("-- min_version:").map(|v| {
            // The major, then why: `-- min_version: 15 (what needs it)`.
            v.split_whitespace()
                .next()
                .and_then(|m| m.parse().ok())
                .expect("-- min_version: starts with a major version")
        })
    })
}

#[test]
fn fixtures_inspect_without_warnings_and_apply_back_identically() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let only = std::env::var("FIXTURE").ok();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for fixture in fixtures() {
        let label = fixture
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !label.contains(o.as_str())) {
            continue;
        }
        let source = std::fs::read_to_string(&fixture).expect("read fixture");
        if let Some(min) = min_version(&source)
            && cluster.server_version_num() / 10000 < min
        {
            eprintln!("{label}: skipped, needs PostgreSQL {min}");
            continue;
        }
        checked += 1;
        let original = cluster.create_database().expect("create database");
        common::psql_file(cluster, &original, &fixture);
        let expected = common::schema_snapshot(cluster, &original);
        let url = cluster.url(&original);

        let sql = inspect(&url, "sql", &label);
        let sql_file = dir.path().join("inspected.sql");
        std::fs::write(&sql_file, &sql).expect("write SQL");
        let copy = cluster.create_database().expect("create database");
        common::psql_file(cluster, &copy, &sql_file);
        let got = common::schema_snapshot(cluster, &copy);
        assert!(
            expected == got,
            "{label}: pg_dump differs after inspect --format sql; first difference at {}\n--- SQL ---\n{sql}",
            common::first_difference(&expected, &got)
        );

        // A fixture whose first line is `-- strata warns: TEXT` uses what .strata cannot write:
        // inspect must say so (exit 1, TEXT on stderr) instead of printing it silently wrong.
        if let Some(expected) = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- strata warns: "))
        {
            let out = common::strata()
                .args(["inspect", "--format", "strata", &url])
                .output()
                .expect("run strata inspect");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{label}: {stderr}");
            assert!(
                stderr.contains(expected.trim()),
                "{label}: no warning `{expected}` in:\n{stderr}"
            );
            continue;
        }
        let text = inspect(&url, "strata", &label);
        let strata_file = dir.path().join("inspected.strata");
        std::fs::write(&strata_file, &text).expect("write .strata");
        let built = common::build(&strata_file);
        let built_file = dir.path().join("built.sql");
        std::fs::write(&built_file, &built).expect("write SQL");
        let copy = cluster.create_database().expect("create database");
        common::psql_file(cluster, &copy, &built_file);
        let got = common::schema_snapshot(cluster, &copy);
        assert!(
            expected == got,
            "{label}: pg_dump differs after inspect → .strata → build; first difference at {}\n--- .strata ---\n{text}",
            common::first_difference(&expected, &got)
        );
    }
    assert!(only.is_some() || checked >= 3, "only {checked} fixtures");
}

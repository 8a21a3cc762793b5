//! pagila (the corpus copy, exactly as it is): load it with psql, `strata inspect --format sql`
//! the database, apply that to a fresh database, and `pg_dump --schema-only --no-owner` of the
//! two databases must be identical. Only the `\restrict` / `\unrestrict` lines, whose random key
//! differs per run, are removed before comparing.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn pagila() -> PathBuf {
    common::repo_root().join("../shared/corpus/pagila-schema.sql")
}

fn psql_file(cluster: &strata_pg::Cluster, db: &str, file: &std::path::Path) {
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

fn pg_dump(cluster: &strata_pg::Cluster, db: &str) -> String {
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

fn first_difference(a: &str, b: &str) -> String {
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

#[test]
fn pagila_inspect_sql_round_trip_is_pg_dump_identical() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let original = cluster.create_database().expect("create database");
    psql_file(cluster, &original, &pagila());

    let out = common::strata()
        .args(["inspect", "--format", "sql", &cluster.url(&original)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "strata inspect did not exit cleanly:\n{stderr}"
    );
    let sql = String::from_utf8(out.stdout).expect("utf-8 SQL");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("inspected.sql");
    std::fs::write(&file, &sql).expect("write inspected SQL");

    let copy = cluster.create_database().expect("create database");
    psql_file(cluster, &copy, &file);

    let a = pg_dump(cluster, &original);
    let b = pg_dump(cluster, &copy);
    assert!(a.contains("CREATE TABLE public.payment_p2022_01"));
    if a != b {
        // Kept for inspection with `diff`.
        let keep = std::env::temp_dir();
        let _ = std::fs::write(keep.join("strata-pagila-original.dump.sql"), &a);
        let _ = std::fs::write(keep.join("strata-pagila-roundtrip.dump.sql"), &b);
        let _ = std::fs::write(keep.join("strata-pagila-inspected.sql"), &sql);
        panic!(
            "pg_dump differs after the round trip (dumps in {}); first difference at {}",
            keep.display(),
            first_difference(&a, &b)
        );
    }
}

/// The SQL file itself as input: `strata inspect pagila.sql` applies it to a throwaway
/// database and prints the same schema as inspecting a database loaded with psql.
#[test]
fn pagila_sql_file_input_matches_database_input() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    psql_file(cluster, &db, &pagila());
    let from_db = common::strata()
        .args(["inspect", "--format", "json", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    assert_eq!(from_db.status.code(), Some(0));
    let from_file = common::strata()
        .args(["inspect", "--format", "json"])
        .arg(pagila())
        .output()
        .expect("run strata inspect");
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&from_db.stdout),
        String::from_utf8_lossy(&from_file.stdout)
    );
}

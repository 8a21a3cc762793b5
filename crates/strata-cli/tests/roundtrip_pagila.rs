//! pagila (the corpus copy, exactly as it is): load it with psql, `strata inspect --format sql`
//! the database, apply that to a fresh database, and `pg_dump --schema-only --no-owner` of the
//! two databases must be identical. Only the `\restrict` / `\unrestrict` lines, whose random key
//! differs per run, are removed before comparing. On servers newer than the available
//! `pg_dump` (the version matrix's 16 to 18) Strata's model is compared instead
//! (`common::schema_snapshot`).

mod common;

#[test]
fn pagila_inspect_sql_round_trip_is_pg_dump_identical() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let original = cluster.create_database().expect("create database");
    common::psql_file(cluster, &original, &common::pagila());

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
    common::psql_file(cluster, &copy, &file);

    let a = common::schema_snapshot(cluster, &original);
    let b = common::schema_snapshot(cluster, &copy);
    assert!(a.contains("payment_p2022_01"));
    if a != b {
        // Kept for inspection with `diff`.
        let keep = std::env::temp_dir();
        let _ = std::fs::write(keep.join("strata-pagila-original.dump.sql"), &a);
        let _ = std::fs::write(keep.join("strata-pagila-roundtrip.dump.sql"), &b);
        let _ = std::fs::write(keep.join("strata-pagila-inspected.sql"), &sql);
        panic!(
            "pg_dump differs after the round trip (dumps in {}); first difference at {}",
            keep.display(),
            common::first_difference(&a, &b)
        );
    }
}

/// The SQL file itself as input: `strata inspect pagila.sql` applies it to a throwaway
/// database and prints the same schema as inspecting a database loaded with psql.
#[test]
fn pagila_sql_file_input_matches_database_input() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    common::psql_file(cluster, &db, &common::pagila());
    let from_db = common::strata()
        .args(["inspect", "--format", "json", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    assert_eq!(from_db.status.code(), Some(0));
    let from_file = common::strata()
        .args(["inspect", "--format", "json"])
        .arg(common::pagila())
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

//! Starting a throwaway cluster of a chosen PostgreSQL major version: `ClusterOptions::version`
//! and `STRATA_PG_VERSION`, the servers of `scripts/install_postgres_versions`, and the errors
//! when a version is missing or misnamed.
//!
//! Which versions must start: those in `STRATA_PG_MATRIX` (space-separated majors; the test
//! script sets it to every version of the matrix after installing them), else 15 (Debian's,
//! the default) and whichever of the others are installed under `target/pg/`.

use std::path::Path;
use std::process::Command;

use strata_pg::{Cluster, ClusterOptions, PgError, VERSION_ENV};

const CHILD_ENV: &str = "STRATA_PG_VERSIONS_CHILD";

fn matrix() -> Vec<u32> {
    if let Ok(list) = std::env::var("STRATA_PG_MATRIX") {
        return list
            .split_whitespace()
            .map(|m| m.parse().expect("STRATA_PG_MATRIX lists major versions"))
            .collect();
    }
    let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/pg");
    let mut majors = vec![15];
    majors.extend(
        [14, 16, 17, 18]
            .into_iter()
            .filter(|m| installed.join(m.to_string()).join("bin/postgres").is_file()),
    );
    majors.sort_unstable();
    majors
}

#[test]
fn every_version_of_the_matrix_starts_and_reports_its_version() {
    for major in matrix() {
        let cluster = Cluster::start_with(ClusterOptions::default().version(major))
            .unwrap_or_else(|e| panic!("PostgreSQL {major}: {e}"));
        assert_eq!(cluster.server_version_num() / 10000, major);
        let mut client = cluster.connect("postgres").expect("connect");
        let version: String = client
            .query_one("SELECT current_setting('server_version')", &[])
            .expect("server_version")
            .get(0);
        assert!(
            version.starts_with(&format!("{major}.")),
            "asked for {major}, got {version}"
        );
        // A database, a table and a contrib extension: the package's share/ and lib/ are
        // readable by the server user.
        let db = cluster.create_database().expect("create database");
        let mut client = cluster.connect(&db).expect("connect");
        client
            .batch_execute(
                "CREATE EXTENSION pgcrypto; \
                 CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v text); \
                 INSERT INTO t (v) VALUES ('x');",
            )
            .unwrap_or_else(|e| panic!("PostgreSQL {major}: {e}"));
        // psql is found for every version (Debian's when the build ships none) and runs a
        // script against it.
        let psql = cluster.client_program("psql").expect("a psql");
        let out = Command::new(&psql)
            .args([
                "-X",
                "-At",
                "-d",
                &cluster.url(&db),
                "-c",
                "SELECT count(*) FROM t",
            ])
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1");
        // pg_dump only when it is at least the server's version.
        if let Some(pg_dump) = cluster.pg_dump() {
            let out = Command::new(&pg_dump)
                .args(["--schema-only", "-d", &cluster.url(&db)])
                .output()
                .expect("run pg_dump");
            assert!(
                out.status.success(),
                "{} on PostgreSQL {major}: {}",
                pg_dump.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            assert!(major > 15, "no pg_dump for PostgreSQL {major}");
        }
    }
}

#[test]
fn a_version_that_is_not_installed_names_the_install_script() {
    let Err(error) = Cluster::start_with(ClusterOptions::default().version(42)) else {
        panic!("PostgreSQL 42 started");
    };
    assert!(
        matches!(error, PgError::VersionNotInstalled { major: 42, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    for needle in [
        "PostgreSQL 42",
        "target/pg/42/bin",
        "/usr/lib/postgresql/42/bin",
        "scripts/install_postgres_versions 42",
        "STRATA_PG_VERSION",
    ] {
        assert!(message.contains(needle), "{needle:?} not in {message:?}");
    }
}

/// Runs `test` of this binary in a child process with `STRATA_PG_VERSION=value`.
fn run_child(test: &str, value: &str) -> std::process::Output {
    let exe = std::env::current_exe().expect("test binary");
    Command::new(exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .env(VERSION_ENV, value)
        .env_remove("STRATA_PG_BINDIR")
        .output()
        .expect("run child test")
}

#[test]
fn child_starts_the_default_cluster() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let wanted: Option<u32> = std::env::var(VERSION_ENV).ok().and_then(|v| v.parse().ok());
    match (Cluster::start(), wanted) {
        (Ok(cluster), Some(major)) => {
            assert_eq!(cluster.server_version_num() / 10000, major);
            println!("CHILD_STARTED {}", cluster.server_version_num());
        }
        (Ok(cluster), None) => panic!("started {} for a bad value", cluster.server_version_num()),
        (Err(error), _) => println!("CHILD_ERROR {error}"),
    }
}

#[test]
fn strata_pg_version_chooses_the_default_clusters_version() {
    for major in matrix() {
        let out = run_child("child_starts_the_default_cluster", &major.to_string());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(
            stdout.contains(&format!("CHILD_STARTED {major}")),
            "STRATA_PG_VERSION={major}:\n{stdout}"
        );
    }
    let out = run_child("child_starts_the_default_cluster", "sixteen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "CHILD_ERROR STRATA_PG_VERSION=\"sixteen\" is not a PostgreSQL major version"
        ),
        "{stdout}"
    );
}

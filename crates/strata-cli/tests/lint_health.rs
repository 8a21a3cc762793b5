//! `strata lint URL`: besides the design read from the catalog, a database URL is linted for
//! its live health (the `H` rules and the default-privileges rule read its statistics and
//! catalogs), with the same output, configuration and exit codes.

mod common;

use serde_json::Value;

#[test]
fn a_database_url_gets_the_live_health_rules() {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    client
        .batch_execute(
            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
             INSERT INTO users VALUES (1, 'ann@example.com'), (2, 'ann@example.com');
             CREATE ROLE lint_health_readonly NOLOGIN;
             ALTER DEFAULT PRIVILEGES GRANT INSERT ON TABLES TO lint_health_readonly;",
        )
        .expect("schema");
    // A failed concurrent build leaves the index behind, invalid.
    assert!(
        client
            .batch_execute("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)")
            .is_err()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("strata.toml"),
        "[lint]\nselect = [\"H001\", \"S013\"]\n",
    )
    .expect("write strata.toml");
    let out = common::strata()
        .current_dir(dir.path())
        .args(["lint", "--config", "strata.toml", "--format", "json"])
        .arg(cluster.url(&db))
        .output()
        .expect("run strata lint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: Vec<Value> = serde_json::from_str(&stdout).expect("JSON findings");
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or(""),
                f["object"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "S013",
                "default privileges of postgres on tables to lint_health_readonly"
            ),
            ("H001", "public.users.users_email_key"),
        ],
        "{stdout}"
    );
    // --exclude leaves the table's findings out; the server-wide ones stay.
    let out = common::strata()
        .current_dir(dir.path())
        .args([
            "lint",
            "--config",
            "strata.toml",
            "--format",
            "json",
            "--exclude",
            "public.users",
        ])
        .arg(cluster.url(&db))
        .output()
        .expect("run strata lint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let found: Vec<Value> = serde_json::from_str(&stdout).expect("JSON findings");
    let codes: Vec<&str> = found.iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, ["S013"], "{stdout}");
    let _ = client.batch_execute(
        "ALTER DEFAULT PRIVILEGES REVOKE INSERT ON TABLES FROM lint_health_readonly",
    );
}

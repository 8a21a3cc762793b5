//! `strata diff`: script, JSON, exit codes, migrations folders and designs with renames.

mod common;

use common::strata;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    if let Some(parent) = dir.join(name).parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn diff_exit_codes_formats_and_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "mig/0001_init.up.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int);\n",
    );
    write(d, "mig/0001_init.down.sql", "DROP TABLE t;\n");
    write(
        d,
        "to.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a bigint, b text);\nCREATE INDEX t_b_idx ON t (b);\n",
    );
    let run = |args: &[&str]| {
        let out = strata().current_dir(d).args(args).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // A type change rewrites the table: not allowed by default.
    let (code, script, err) = run(&["diff", "--from", "mig", "--to", "to.sql"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        script.contains("ALTER TABLE public.t ALTER COLUMN a TYPE bigint"),
        "{script}"
    );
    assert!(
        script.contains("CREATE INDEX CONCURRENTLY t_b_idx"),
        "{script}"
    );
    assert!(err.contains("rewrites_table"), "{err}");
    let (code, _, err) = run(&[
        "diff",
        "--from",
        "mig",
        "--to",
        "to.sql",
        "--allow-hazard",
        "all",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, json, _) = run(&[
        "diff", "--from", "mig", "--to", "to.sql", "--format", "json",
    ]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(
        v["steps"].as_array().is_some_and(|s| s.len() >= 3),
        "{json}"
    );
    assert!(
        v["hazards"]
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x == "rewrites_table"))
    );
    // Same schema both sides: empty plan, exit 0.
    let (code, out, _) = run(&["diff", "--from", "to.sql", "--to", "to.sql"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("no changes"), "{out}");
    // Unknown hazard code: an error.
    let (code, _, err) = run(&[
        "diff",
        "--from",
        "to.sql",
        "--to",
        "to.sql",
        "--allow-hazard",
        "nope",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown hazard code"), "{err}");
}

#[test]
fn design_renames_become_renames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a/s.strata",
        "entity Customer {\n  mail text\n  nick text\n}\n",
    );
    write(
        d,
        "b/s.strata",
        "entity Client {\n  renamed_from Customer\n  email text renamed_from mail\n  nick text\n}\n",
    );
    let out = strata()
        .current_dir(d)
        .args(["diff", "--from", "a", "--to", "b", "--allow-hazard", "all"])
        .output()
        .expect("run");
    let script = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        script.contains("ALTER TABLE public.customers RENAME TO clients;"),
        "{script}"
    );
    assert!(
        script.contains("ALTER TABLE public.clients RENAME COLUMN mail TO email;"),
        "{script}"
    );
    assert!(!script.contains("DROP TABLE"), "{script}");
    assert!(!script.contains("DROP COLUMN"), "{script}");
}

fn run_in(d: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = strata()
        .current_dir(d)
        .env_remove("DATABASE_URL")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A fresh database on the shared cluster with `sql` applied: its URL and a client.
fn database_with(sql: &str) -> (String, postgres::Client) {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let name = cluster.create_database().expect("database");
    let mut client = cluster.connect(&name).expect("connect");
    strata_pg::apply_sql(&mut client, sql).expect("apply");
    (cluster.url(&name), client)
}

const ENUM_WITH_PARTIAL_INDEXES: &str = "\
enum st { VALUES }
entity T {
  s st = a
  m int
  n int
  index (m) where `s = 'a'`
  index (n) where `s = 'c'`
}
";

/// An enum whose column is in several partial indexes: adding a value is one `ADD VALUE`
/// and leaves the indexes alone; removing one swaps the type with the indexes dropped before
/// and rebuilt after. Applied to a database with rows, then planned again: nothing left.
#[test]
fn enum_values_change_under_partial_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let design = |values: &str| ENUM_WITH_PARTIAL_INDEXES.replace("VALUES", values);
    write(d, "v1/s.strata", &design("a, c"));
    write(d, "v2/s.strata", &design("a, b, c"));
    write(d, "v3/s.strata", &design("a, c, d"));

    let (code, script, err) = run_in(d, &["diff", "--from", "v1", "--to", "v2"]);
    assert_eq!(code, Some(0), "{err}");
    let statements: Vec<&str> = script
        .lines()
        .filter(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    assert_eq!(
        statements,
        ["ALTER TYPE public.st ADD VALUE 'b' BEFORE 'c';"],
        "{script}"
    );

    let (url, mut client) = database_with(&common::build(&d.join("v1")));
    client
        .batch_execute(
            "INSERT INTO ts (s, m, n) SELECT CASE WHEN g % 2 = 0 THEN 'a'::st ELSE 'c'::st END, g, g FROM generate_series(1, 500) g",
        )
        .expect("rows");
    let (code, _, err) = run_in(d, &["apply", "--to", "v2", &url, "--yes"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = run_in(d, &["diff", "--from", &url, "--to", "v2"]);
    assert_eq!((code, out.trim()), (Some(0), "-- no changes"), "{err}");

    // Removing `b` and adding `d` is a type swap; the indexes come back after it.
    let (code, _, err) = run_in(
        d,
        &[
            "apply",
            "--to",
            "v3",
            &url,
            "--yes",
            "--allow-hazard",
            "all",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = run_in(d, &["diff", "--from", &url, "--to", "v3"]);
    assert_eq!((code, out.trim()), (Some(0), "-- no changes"), "{err}");
    let indexes: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'ts' AND indexdef LIKE '%WHERE%'",
            &[],
        )
        .expect("indexes")
        .get(0);
    assert_eq!(indexes, 2);
    let rows: i64 = client
        .query_one("SELECT count(*) FROM ts", &[])
        .expect("rows")
        .get(0);
    assert_eq!(rows, 500);
}

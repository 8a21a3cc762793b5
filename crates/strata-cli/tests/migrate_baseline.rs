//! Bringing an existing database under `strata migrate` (`migrate baseline N`), and what a
//! failed or refused first run leaves behind: nothing, not even the history schema.

mod common;

use std::path::Path;
use std::process::Output;

use common::strata;

struct Db {
    url: String,
    client: postgres::Client,
}

fn fresh_db() -> Db {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let name = cluster.create_database().expect("create database");
    Db {
        url: cluster.url(&name),
        client: cluster.connect(&name).expect("connect"),
    }
}

fn migrate(dir: &Path, url: &str, args: &[&str]) -> Output {
    strata()
        .arg("migrate")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .arg("--url")
        .arg(url)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata migrate")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "strata failed ({:?}):\n{}{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr) + &text(&out.stdout)
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (f, t) in files {
        std::fs::write(dir.path().join(f), t).expect("write migration");
    }
    let out = strata()
        .args(["migrate", "hash", "--dir"])
        .arg(dir.path())
        .output()
        .expect("hash");
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

fn has_strata_schema(c: &mut postgres::Client) -> bool {
    c.query_one(
        "SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'",
        &[],
    )
    .expect("pg_namespace")
    .get::<_, i64>(0)
        > 0
}

/// (version, name, success) of every history row.
fn history(c: &mut postgres::Client) -> Vec<(i64, String, bool)> {
    c.query(
        "SELECT version, name, success FROM strata.schema_migrations ORDER BY version",
        &[],
    )
    .expect("read history")
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";
const TASKS: &str = "CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, title text NOT NULL);\nCREATE INDEX tasks_user_id_idx ON tasks (user_id);\n";
const DONE: &str = "ALTER TABLE tasks ADD COLUMN done boolean NOT NULL DEFAULT false;\n";

fn three() -> tempfile::TempDir {
    folder(&[
        ("0001_users.up.sql", USERS),
        ("0001_users.down.sql", "DROP TABLE users;\n"),
        ("0002_tasks.up.sql", TASKS),
        ("0002_tasks.down.sql", "DROP TABLE tasks;\n"),
        ("0003_done.up.sql", DONE),
        (
            "0003_done.down.sql",
            "ALTER TABLE tasks DROP COLUMN done;\n",
        ),
    ])
}

#[test]
fn a_failed_first_apply_leaves_the_database_unchanged_without_a_history_schema() {
    let dir = folder(&[(
        "0001_broken.up.sql",
        "CREATE TABLE a (id int);\nCREATE TABLE b (id int REFERENCES nope);\n",
    )]);
    let mut db = fresh_db();
    let out = migrate(dir.path(), &db.url, &["apply"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the database is unchanged"), "{err}");
    assert!(
        !has_strata_schema(&mut db.client),
        "the history schema was left behind"
    );
    let tables: i64 = db
        .client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("pg_tables")
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn refused_runs_and_reads_on_a_fresh_database_create_nothing() {
    let mut db = fresh_db();
    // A refused migration (data loss not acknowledged), a rollback with nothing applied, a
    // resolve, status and verify: none of them leaves a history schema.
    let refused = folder(&[("0001_drop.up.sql", "DROP TABLE IF EXISTS old;\n")]);
    assert_eq!(
        migrate(refused.path(), &db.url, &["apply"]).status.code(),
        Some(1)
    );
    let dir = three();
    ok(&migrate(dir.path(), &db.url, &["down"]));
    let out = migrate(dir.path(), &db.url, &["resolve", "1", "--applied"]);
    assert_eq!(out.status.code(), Some(2));
    ok(&migrate(dir.path(), &db.url, &["status"]));
    ok(&migrate(dir.path(), &db.url, &["verify"]));
    assert!(!has_strata_schema(&mut db.client));
}

#[test]
fn resolve_on_a_migration_that_was_never_applied_points_to_baseline() {
    let dir = three();
    let db = fresh_db();
    let out = migrate(dir.path(), &db.url, &["resolve", "1", "--applied"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("not applied") && err.contains("strata migrate baseline 1"),
        "{err}"
    );
}

#[test]
fn baseline_records_an_existing_database_that_matches_the_folder() {
    let dir = three();
    let mut db = fresh_db();
    // The database was built before strata managed it, with data.
    db.client
        .batch_execute(&format!(
            "{USERS}{TASKS}INSERT INTO users VALUES (1, 'a@example.com'); INSERT INTO tasks VALUES (1, 1, 'keep me');"
        ))
        .expect("existing schema");
    let out = ok(&migrate(dir.path(), &db.url, &["baseline", "2"]));
    assert!(
        out.contains("0001_users") && out.contains("0002_tasks"),
        "{out}"
    );
    assert_eq!(
        history(&mut db.client),
        vec![
            (1, "users".to_string(), true),
            (2, "tasks".to_string(), true)
        ]
    );
    let status = ok(&migrate(dir.path(), &db.url, &["status"]));
    assert!(status.contains("baseline"), "{status}");
    // Only the rest runs; the data stays.
    let out = ok(&migrate(dir.path(), &db.url, &["apply"]));
    assert!(out.contains("applied 1 migration(s)"), "{out}");
    let kept: i64 = db
        .client
        .query_one("SELECT count(*) FROM tasks WHERE title = 'keep me'", &[])
        .expect("tasks")
        .get(0);
    assert_eq!(kept, 1);
    ok(&migrate(dir.path(), &db.url, &["verify"]));
    // A baselined migration rolls back like any other.
    ok(&migrate(dir.path(), &db.url, &["down", "3"]));
    let left: i64 = db
        .client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("pg_tables")
        .get(0);
    assert_eq!(left, 0);
}

#[test]
fn baseline_refuses_a_database_that_differs_from_the_folder() {
    let dir = three();
    let mut db = fresh_db();
    // tasks without its index, and an extra column.
    db.client
        .batch_execute(&format!(
            "{USERS}CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, title text NOT NULL, extra int);"
        ))
        .expect("existing schema");
    let out = migrate(dir.path(), &db.url, &["baseline", "2"]);
    let err = text(&out.stderr) + &text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("does not match")
            && err.contains("tasks_user_id_idx")
            && err.contains("extra"),
        "{err}"
    );
    assert!(!has_strata_schema(&mut db.client));
}

#[test]
fn baseline_refuses_a_database_with_a_history_or_an_unknown_version() {
    let dir = three();
    let mut db = fresh_db();
    let out = migrate(dir.path(), &db.url, &["baseline", "7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no migration 7"),
        "{}",
        text(&out.stderr)
    );
    assert!(!has_strata_schema(&mut db.client));
    ok(&migrate(dir.path(), &db.url, &["apply", "--to", "1"]));
    let out = migrate(dir.path(), &db.url, &["baseline", "2"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("already has a migration history"), "{err}");
    assert_eq!(history(&mut db.client).len(), 1);
}

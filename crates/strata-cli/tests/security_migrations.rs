//! Tampered migration folders: every change a reviewer did not see is refused, by name, with
//! exit code 2, before anything runs against the database.

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

fn migrate(dir: &Path, url: Option<&str>, args: &[&str]) -> Output {
    let mut c = strata();
    c.arg("migrate").args(args).arg("--dir").arg(dir);
    if let Some(u) = url {
        c.arg("--url").arg(u);
    }
    c.env_remove("DATABASE_URL")
        .output()
        .expect("run strata migrate")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "strata failed ({:?}):\n{}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stderr) + &text(&out.stdout)
}

/// Exit code 2 and the error text.
fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal (exit 2):\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

const FILES: &[(&str, &str)] = &[
    (
        "0001_users.up.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    ),
    ("0001_users.down.sql", "DROP TABLE users;\n"),
    (
        "0002_tasks.up.sql",
        "CREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
    ),
    ("0002_tasks.down.sql", "DROP TABLE tasks;\n"),
];

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (f, t) in files {
        std::fs::write(dir.path().join(f), t).expect("write migration");
    }
    ok(&migrate(dir.path(), None, &["hash"]));
    dir
}

fn tables(c: &mut postgres::Client) -> Vec<String> {
    c.query(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        &[],
    )
    .expect("list tables")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[test]
fn an_applied_migrations_down_file_edited_and_rehashed_is_refused_by_verify_and_down() {
    let dir = folder(FILES);
    let mut db = fresh_db();
    ok(&migrate(dir.path(), Some(&db.url), &["apply"]));
    // The attacker edits the down file and records the edit, so strata.sum is consistent.
    std::fs::write(
        dir.path().join("0002_tasks.down.sql"),
        "DROP TABLE tasks;\nCREATE TABLE planted (id int);\n",
    )
    .expect("edit");
    ok(&migrate(dir.path(), None, &["hash"]));
    ok(&migrate(dir.path(), None, &["verify", "--offline"]));
    for args in [&["verify"][..], &["down"][..], &["apply"][..]] {
        let err = refused(&migrate(dir.path(), Some(&db.url), args));
        assert!(
            err.contains("0002_tasks.down.sql") && err.contains("changed after"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(tables(&mut db.client), vec!["tasks", "users"]);
    // Restored, the rollback runs.
    std::fs::write(dir.path().join("0002_tasks.down.sql"), FILES[3].1).expect("restore");
    ok(&migrate(dir.path(), None, &["hash"]));
    ok(&migrate(dir.path(), Some(&db.url), &["verify"]));
    ok(&migrate(dir.path(), Some(&db.url), &["down"]));
    assert_eq!(tables(&mut db.client), vec!["users"]);
}

#[test]
fn a_renamed_applied_migration_is_refused() {
    let dir = folder(FILES);
    let db = fresh_db();
    ok(&migrate(dir.path(), Some(&db.url), &["apply"]));
    for (from, to) in [
        ("0002_tasks.up.sql", "0002_jobs.up.sql"),
        ("0002_tasks.down.sql", "0002_jobs.down.sql"),
    ] {
        std::fs::rename(dir.path().join(from), dir.path().join(to)).expect("rename");
    }
    ok(&migrate(dir.path(), None, &["hash"]));
    for args in [&["verify"][..], &["apply"][..], &["down"][..]] {
        let err = refused(&migrate(dir.path(), Some(&db.url), args));
        assert!(
            err.contains("0002_tasks") && err.contains("0002_jobs") && err.contains("renamed"),
            "{args:?}: {err}"
        );
    }
    let status = migrate(dir.path(), Some(&db.url), &["status"]);
    assert_eq!(status.status.code(), Some(1));
    assert!(
        text(&status.stdout).contains("RENAMED"),
        "{}",
        text(&status.stdout)
    );
}

#[test]
fn two_files_with_the_same_number_are_refused_however_the_number_is_written() {
    for other in ["2_tasks.up.sql", "02_tasks.up.sql", "2_tasks.down.sql"] {
        let dir = tempfile::tempdir().expect("temp dir");
        for (f, t) in FILES {
            std::fs::write(dir.path().join(f), t).expect("write");
        }
        std::fs::write(dir.path().join(other), "DROP TABLE users;\n").expect("write");
        for args in [&["hash"][..], &["verify", "--offline"][..]] {
            let err = refused(&migrate(dir.path(), None, args));
            assert!(
                err.contains("version 2") && err.contains(other) && err.contains("0002_tasks"),
                "{other} {args:?}: {err}"
            );
        }
    }
}

#[test]
fn sql_files_with_other_names_or_case_are_refused() {
    for bad in [
        "0007_x.UP.SQL",
        "0007_x.up.SQL",
        "0007_x.Down.sql",
        "notes.Sql",
        "0007_x.sql",
    ] {
        let dir = folder(FILES);
        std::fs::write(dir.path().join(bad), "DROP TABLE users;\n").expect("write");
        for args in [&["hash"][..], &["verify", "--offline"][..]] {
            let err = refused(&migrate(dir.path(), None, args));
            assert!(
                err.contains(&format!("`{bad}` is not a migration file name")),
                "{bad} {args:?}: {err}"
            );
        }
    }
}

fn sum_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("strata.sum"))
        .expect("read strata.sum")
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_sum(dir: &Path, lines: &[String]) {
    std::fs::write(dir.join("strata.sum"), lines.join("\n") + "\n").expect("write strata.sum");
}

#[test]
fn a_deleted_strata_sum_line_is_reported_as_deleted() {
    // Line 0 is the header; 1..=4 the files.
    for (deleted, file) in [(2, "0001_users.down.sql"), (4, "0002_tasks.down.sql")] {
        let dir = folder(FILES);
        let mut lines = sum_lines(dir.path());
        lines.remove(deleted);
        write_sum(dir.path(), &lines);
        let err = refused(&migrate(dir.path(), None, &["verify", "--offline"]));
        assert!(
            err.contains(&format!("strata.sum has no line for `{file}`"))
                && err.contains("deleted")
                && !err.contains("inserted"),
            "{err}"
        );
    }
}

#[test]
fn swapped_strata_sum_lines_are_reported_as_moved() {
    let dir = folder(FILES);
    let mut lines = sum_lines(dir.path());
    lines.swap(2, 3);
    write_sum(dir.path(), &lines);
    let err = refused(&migrate(dir.path(), None, &["verify", "--offline"]));
    assert!(
        err.contains("0002_tasks.up.sql")
            && err.contains("0001_users.down.sql")
            && err.contains("moved")
            && !err.contains("inserted"),
        "{err}"
    );
}

#[test]
fn a_file_really_inserted_before_recorded_ones_is_still_called_inserted() {
    let dir = folder(FILES);
    std::fs::write(dir.path().join("0001_users.down.sql"), "").expect("remove content");
    std::fs::remove_file(dir.path().join("0001_users.down.sql")).expect("remove");
    ok(&migrate(dir.path(), None, &["hash"]));
    std::fs::write(dir.path().join("0001_users.down.sql"), FILES[1].1).expect("insert");
    let err = refused(&migrate(dir.path(), None, &["verify", "--offline"]));
    assert!(
        err.contains("`0001_users.down.sql` was inserted before `0002_tasks.up.sql`"),
        "{err}"
    );
}

#[test]
fn a_directory_named_like_a_migration_gets_one_clear_message() {
    let dir = folder(FILES);
    std::fs::create_dir(dir.path().join("0003_x.up.sql")).expect("mkdir");
    let err = refused(&migrate(dir.path(), None, &["verify", "--offline"]));
    assert!(err.contains("`0003_x.up.sql` is a directory"), "{err}");
    assert_eq!(err.matches("directory").count(), 1, "{err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn a_folder_replayed_for_planning_cannot_run_programs_or_read_files() {
    let marker = tempfile::tempdir().expect("temp dir");
    let touched = marker.path().join("pwned");
    std::fs::set_permissions(
        marker.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .expect("chmod");
    let design = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        design.path().join("schema.strata"),
        "entity Note {\n  body text\n}\n",
    )
    .expect("design");
    let design = design.path().display().to_string();
    for hostile in [
        format!(
            "CREATE TABLE a (id int);\nCOPY (SELECT 1) TO PROGRAM 'touch {}';\n",
            touched.display()
        ),
        "CREATE TABLE a (id int);\nDO $$ BEGIN EXECUTE format('COMMENT ON TABLE a IS %L', pg_read_file('/etc/hostname')); END $$;\n".to_string(),
        "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE c AS 'libc.so.6', 'getpid';\n".to_string(),
    ] {
        let dir = folder(&[("0001_a.up.sql", hostile.as_str())]);
        let d = dir.path().display().to_string();
        for args in [
            vec!["diff", "--from", &d, "--to", &design],
            vec!["migrate", "new", "next", "--schema", &design, "--dir", &d],
        ] {
            let out = strata()
                .args(&args)
                .env_remove("DATABASE_URL")
                .output()
                .expect("run strata");
            let err = refused(&out);
            assert!(
                err.contains("replaying the migrations folder")
                    && (err.contains("must be superuser")
                        || err.contains("permission denied")),
                "{args:?}: {err}"
            );
            assert!(!touched.exists(), "{args:?} ran a program");
        }
    }
}

#[test]
fn a_folder_replayed_for_planning_runs_under_the_sql_time_limit() {
    let design = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        design.path().join("schema.strata"),
        "entity Note {\n  body text\n}\n",
    )
    .expect("design");
    let design = design.path().display().to_string();
    // The file lifts its own statement timeout first.
    let dir = folder(&[(
        "0001_slow.up.sql",
        "SET statement_timeout = 0;\nSELECT pg_sleep(600);\n",
    )]);
    let d = dir.path().display().to_string();
    let started = std::time::Instant::now();
    let out = strata()
        .args(["--sql-timeout", "2", "diff", "--from", &d, "--to", &design])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata");
    let err = refused(&out);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{err}"
    );
    assert!(
        err.contains("still running after 2 s") && err.contains("--sql-timeout"),
        "{err}"
    );
}

//! `strata migrate apply | down | status | verify | resolve | hash` against a real server,
//! and the faults: a killed migrator, two migrators at once, edited / inserted / removed
//! migrations.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).expect("write migration");
}

/// A folder with `files` and a fresh strata.sum (written by `strata migrate hash`).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (f, t) in files {
        write(dir.path(), f, t);
    }
    let out = migrate(dir.path(), None, &["hash"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
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
        "strata failed ({:?}):\n{}{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr) + &text(&out.stdout)
}

fn fails(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "strata succeeded but should not have:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    text(&out.stderr)
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

/// (version, success, statements_done) of every history row.
fn history(c: &mut postgres::Client) -> Vec<(i64, bool, i32)> {
    c.query(
        "SELECT version, success, statements_done FROM strata.schema_migrations ORDER BY version",
        &[],
    )
    .expect("read history")
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

fn indexes(c: &mut postgres::Client) -> Vec<String> {
    c.query(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
        &[],
    )
    .expect("list indexes")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

const BASE: &[(&str, &str)] = &[
    (
        "0001_users.up.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
    ),
    ("0001_users.down.sql", "DROP TABLE users;\n"),
    (
        "0002_tasks.up.sql",
        "-- semicolons in strings and bodies do not split: ';'\nCREATE TABLE tasks (id bigint PRIMARY KEY, user_id bigint REFERENCES users, title text DEFAULT 'a;b');\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.title := NEW.title; RETURN NEW; END; $$;\n",
    ),
    (
        "0002_tasks.down.sql",
        "DROP FUNCTION touch();\nDROP TABLE tasks;\n",
    ),
    (
        "0003_tasks_user_idx.up.sql",
        "CREATE INDEX CONCURRENTLY tasks_user_id_idx ON tasks (user_id);\nCREATE INDEX CONCURRENTLY tasks_title_idx ON tasks (title);\n",
    ),
    (
        "0003_tasks_user_idx.down.sql",
        "DROP INDEX CONCURRENTLY tasks_title_idx;\nDROP INDEX CONCURRENTLY tasks_user_id_idx;\n",
    ),
];

#[test]
fn apply_status_down_round_trip() {
    let dir = folder(BASE);
    let mut db = fresh_db();
    let url = Some(db.url.as_str());

    let st = text(&migrate(dir.path(), url, &["status"]).stdout);
    assert!(st.contains("0001_users") && st.contains("pending"), "{st}");
    assert!(st.contains("0 applied, 3 pending"), "{st}");

    let out = ok(&migrate(dir.path(), url, &["apply", "--to", "2"]));
    assert!(out.contains("applied 2 migration(s)"), "{out}");
    assert_eq!(tables(&mut db.client), vec!["tasks", "users"]);
    assert_eq!(history(&mut db.client), vec![(1, true, 1), (2, true, 2)]);

    let out = ok(&migrate(dir.path(), url, &["apply"]));
    assert!(
        out.contains("statement by statement: CREATE INDEX CONCURRENTLY"),
        "{out}"
    );
    assert_eq!(
        indexes(&mut db.client),
        vec![
            "tasks_pkey",
            "tasks_title_idx",
            "tasks_user_id_idx",
            "users_pkey"
        ]
    );
    assert_eq!(history(&mut db.client).last(), Some(&(3, true, 2)));
    let out = ok(&migrate(dir.path(), url, &["apply"]));
    assert!(out.contains("nothing to apply"), "{out}");

    let st = ok(&migrate(dir.path(), url, &["status"]));
    assert!(st.contains("3 applied, 0 pending"), "{st}");
    ok(&migrate(dir.path(), url, &["verify"]));

    ok(&migrate(dir.path(), url, &["down"]));
    assert_eq!(indexes(&mut db.client), vec!["tasks_pkey", "users_pkey"]);
    assert_eq!(history(&mut db.client).len(), 2);
    ok(&migrate(dir.path(), url, &["down", "2"]));
    assert!(tables(&mut db.client).is_empty());
    assert!(history(&mut db.client).is_empty());
    let out = ok(&migrate(dir.path(), url, &["down"]));
    assert!(out.contains("nothing to roll back"), "{out}");
}

#[test]
fn a_failing_transactional_migration_changes_nothing() {
    let mut files = BASE[..4].to_vec();
    files.push((
        "0003_broken.up.sql",
        "CREATE TABLE tags (id int);\nALTER TABLE nope ADD COLUMN x int;\n",
    ));
    let dir = folder(&files);
    let mut db = fresh_db();
    let err = fails(&migrate(dir.path(), Some(&db.url), &["apply"]));
    assert!(
        err.contains("0003_broken.up.sql:2") && err.contains("\"nope\" does not exist"),
        "{err}"
    );
    assert!(err.contains("rolled back"), "{err}");
    // 0001 and 0002 were applied by this same run: the database is not unchanged.
    assert!(
        !err.contains("the database is unchanged")
            && err
                .contains("0001_users, 0002_tasks applied before it in this run and stay applied"),
        "{err}"
    );
    assert_eq!(tables(&mut db.client), vec!["tasks", "users"]);
    assert_eq!(history(&mut db.client), vec![(1, true, 1), (2, true, 2)]);
}

#[test]
fn a_failing_statement_outside_a_transaction_leaves_a_dirty_migration() {
    let mut files = BASE[..4].to_vec();
    files.push((
        "0003_idx.up.sql",
        "CREATE INDEX CONCURRENTLY tasks_title_idx ON tasks (title);\nCREATE INDEX CONCURRENTLY bad_idx ON tasks (nope);\n",
    ));
    files.push(("0004_more.up.sql", "CREATE TABLE more (id int);\n"));
    let dir = folder(&files);
    let mut db = fresh_db();
    let url = Some(db.url.as_str());
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(err.contains("0003_idx.up.sql:2"), "{err}");
    assert!(
        err.contains("flagged dirty") && err.contains("strata migrate resolve 3"),
        "{err}"
    );
    assert_eq!(history(&mut db.client)[2], (3, false, 1));
    assert!(indexes(&mut db.client).contains(&"tasks_title_idx".to_string()));

    // Nothing runs until it is resolved, and the message says how.
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(
        err.contains("migration 0003_idx is dirty")
            && err.contains("stopped after 1 of 2")
            && err.contains("strata migrate resolve 3 --applied")
            && err.contains("--rolled-back"),
        "{err}"
    );
    assert!(!tables(&mut db.client).contains(&"more".to_string()));
    let st = text(&migrate(dir.path(), url, &["status"]).stdout);
    assert!(st.contains("DIRTY"), "{st}");

    // The user drops the half-built index and says the migration is not applied.
    db.client
        .batch_execute("DROP INDEX tasks_title_idx")
        .expect("drop index");
    ok(&migrate(
        dir.path(),
        url,
        &["resolve", "3", "--rolled-back"],
    ));
    let err = fails(&migrate(dir.path(), url, &["resolve", "3", "--applied"]));
    assert!(err.contains("not dirty"), "{err}");
    assert_eq!(history(&mut db.client).len(), 2);
}

#[test]
fn transaction_control_in_a_transactional_migration_is_refused() {
    let mut files = BASE[..2].to_vec();
    files.push(("0002_commit.up.sql", "CREATE TABLE t (id int);\nCOMMIT;\n"));
    let dir = folder(&files);
    let db = fresh_db();
    let err = fails(&migrate(dir.path(), Some(&db.url), &["apply"]));
    assert!(
        err.contains("0002_commit.up.sql contains `COMMIT`")
            && err.contains("strata:no-transaction"),
        "{err}"
    );
}

#[test]
fn edited_inserted_and_removed_migrations_are_refused_by_name() {
    let dir = folder(BASE);
    let db = fresh_db();
    let url = Some(db.url.as_str());
    ok(&migrate(dir.path(), url, &["apply", "--to", "2"]));

    // Edited after it was recorded.
    let p = dir.path().join("0001_users.up.sql");
    let original = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, original.replace("email text", "email varchar(200)")).expect("edit");
    for args in [&["apply"][..], &["verify", "--offline"], &["down"]] {
        let err = fails(&migrate(dir.path(), url, args));
        assert!(
            err.contains("`0001_users.up.sql` was edited after it was recorded"),
            "{args:?}: {err}"
        );
    }
    // Re-hashing hides the edit from strata.sum, but not from the database's checksum.
    ok(&migrate(dir.path(), url, &["hash"]));
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(
        err.contains("migration 0001_users was changed after it was applied"),
        "{err}"
    );
    let err = fails(&migrate(dir.path(), url, &["verify"]));
    assert!(err.contains("0001_users"), "{err}");
    std::fs::write(&p, original).expect("restore");
    ok(&migrate(dir.path(), url, &["hash"]));
    ok(&migrate(dir.path(), url, &["verify"]));

    // Inserted between recorded migrations.
    write(dir.path(), "0002_a_tags.up.sql", "SELECT 1;");
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(
        err.contains("version 2 is used by two migration files"),
        "{err}"
    );
    std::fs::remove_file(dir.path().join("0002_a_tags.up.sql")).expect("rm");
    let renamed = dir.path().join("0003_tasks_user_idx.up.sql");
    let idx = std::fs::read_to_string(&renamed).expect("read");
    std::fs::remove_file(&renamed).expect("rm");
    std::fs::remove_file(dir.path().join("0003_tasks_user_idx.down.sql")).expect("rm");
    write(dir.path(), "0004_tasks_user_idx.up.sql", &idx);
    write(
        dir.path(),
        "0003_tags.up.sql",
        "CREATE TABLE tags (id int);",
    );
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(
        err.contains("`0003_tags.up.sql` was inserted before `0003_tasks_user_idx.up.sql`")
            || err.contains("`0003_tasks_user_idx.up.sql` is listed in strata.sum but is missing"),
        "{err}"
    );

    // Removed.
    let dir = folder(BASE);
    std::fs::remove_file(dir.path().join("0002_tasks.up.sql")).expect("rm");
    std::fs::remove_file(dir.path().join("0002_tasks.down.sql")).expect("rm");
    let err = fails(&migrate(dir.path(), url, &["verify", "--offline"]));
    assert!(
        err.contains("`0002_tasks.up.sql` is listed in strata.sum but is missing"),
        "{err}"
    );

    // Written by hand without `hash`.
    let dir = folder(BASE);
    write(dir.path(), "0004_extra.up.sql", "SELECT 1;");
    let err = fails(&migrate(dir.path(), url, &["apply"]));
    assert!(
        err.contains("`0004_extra.up.sql` is not recorded in strata.sum")
            && err.contains("strata migrate hash"),
        "{err}"
    );
}

#[test]
fn a_pending_migration_older_than_an_applied_one_is_refused() {
    let dir = folder(&[
        ("0001_a.up.sql", "CREATE TABLE a (id int);"),
        ("0003_c.up.sql", "CREATE TABLE c (id int);"),
    ]);
    let db = fresh_db();
    ok(&migrate(dir.path(), Some(&db.url), &["apply"]));
    write(dir.path(), "0002_b.up.sql", "CREATE TABLE b (id int);");
    ok(&migrate(dir.path(), None, &["hash"]));
    let err = fails(&migrate(dir.path(), Some(&db.url), &["apply"]));
    assert!(
        err.contains(
            "migration 0002_b is pending but the later migration 0003_c is already applied"
        ),
        "{err}"
    );
}

// ---- faults with a real process ----

fn spawn_migrate(dir: &Path, url: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("migrate")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .arg("--url")
        .arg(url)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strata migrate")
}

/// Waits until a backend of this database runs a query containing `needle`; its pid.
fn wait_for_query(c: &mut postgres::Client, needle: &str) -> i32 {
    let start = Instant::now();
    loop {
        let rows = c
            .query(
                "SELECT pid FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()
                   AND state = 'active' AND position($1 in query) > 0",
                &[&needle],
            )
            .expect("pg_stat_activity");
        if let Some(r) = rows.first() {
            return r.get(0);
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no backend started running {needle:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until the backend `pid` is gone (the server noticed its client died).
fn wait_gone(c: &mut postgres::Client, pid: i32) {
    let start = Instant::now();
    loop {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                &[&pid],
            )
            .expect("pg_stat_activity")
            .get(0);
        if n == 0 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "backend {pid} outlived its killed client"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sigkill(child: &mut Child) {
    child.kill().expect("SIGKILL the migrator");
    let status = child.wait().expect("wait");
    assert!(!status.success());
}

#[test]
fn sigkill_inside_a_transactional_migration_leaves_the_previous_version() {
    let mut files = BASE[..4].to_vec();
    files.push((
        "0003_slow.up.sql",
        "ALTER TABLE tasks ADD COLUMN done boolean NOT NULL DEFAULT false;\nSELECT pg_sleep(30);\nCREATE TABLE slow_done (id int);\n",
    ));
    let dir = folder(&files);
    let mut db = fresh_db();
    ok(&migrate(dir.path(), Some(&db.url), &["apply", "--to", "2"]));
    let mut child = spawn_migrate(dir.path(), &db.url, &["apply"]);
    let pid = wait_for_query(&mut db.client, "pg_sleep(30)");
    sigkill(&mut child);
    wait_gone(&mut db.client, pid);
    assert_eq!(tables(&mut db.client), vec!["tasks", "users"]);
    let cols: i64 = db
        .client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'tasks' AND column_name = 'done'",
            &[],
        )
        .expect("columns")
        .get(0);
    assert_eq!(cols, 0, "half of the killed migration is in the database");
    assert_eq!(history(&mut db.client), vec![(1, true, 1), (2, true, 2)]);
    // The lock died with the session: the next run applies the migration.
    let started = Instant::now();
    let mut replaced = files.clone();
    replaced[4].1 = "ALTER TABLE tasks ADD COLUMN done boolean NOT NULL DEFAULT false;\nCREATE TABLE slow_done (id int);\n";
    let dir = folder(&replaced);
    ok(&migrate(dir.path(), Some(&db.url), &["apply", "--no-wait"]));
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(history(&mut db.client).len(), 3);
}

#[test]
fn sigkill_inside_a_non_transactional_migration_leaves_it_dirty() {
    let mut files = BASE[..4].to_vec();
    files.push((
        "0003_slow.up.sql",
        "-- strata:no-transaction\nCREATE TABLE slow_first (id int);\nSELECT pg_sleep(30);\nCREATE TABLE slow_last (id int);\n",
    ));
    let dir = folder(&files);
    let mut db = fresh_db();
    let mut child = spawn_migrate(dir.path(), &db.url, &["apply"]);
    let pid = wait_for_query(&mut db.client, "pg_sleep(30)");
    sigkill(&mut child);
    wait_gone(&mut db.client, pid);
    assert_eq!(tables(&mut db.client), vec!["slow_first", "tasks", "users"]);
    // Never half-applied without a record: the row says how far it got.
    assert_eq!(
        history(&mut db.client),
        vec![(1, true, 1), (2, true, 2), (3, false, 1)]
    );
    let err = fails(&migrate(dir.path(), Some(&db.url), &["apply"]));
    assert!(
        err.contains("migration 0003_slow is dirty") && err.contains("stopped after 1 of 3"),
        "{err}"
    );
    // The user finishes the migration by hand and says so.
    db.client
        .batch_execute("CREATE TABLE slow_last (id int)")
        .expect("finish by hand");
    ok(&migrate(
        dir.path(),
        Some(&db.url),
        &["resolve", "3", "--applied"],
    ));
    let out = ok(&migrate(dir.path(), Some(&db.url), &["apply"]));
    assert!(out.contains("nothing to apply"), "{out}");
    assert_eq!(history(&mut db.client)[2], (3, true, 3));
}

fn slow_folder() -> tempfile::TempDir {
    let mut files = BASE[..4].to_vec();
    files.push((
        "0003_slow.up.sql",
        "CREATE TABLE slow (id int);\nSELECT pg_sleep(2);\n",
    ));
    files.push(("0004_after.up.sql", "CREATE TABLE after_slow (id int);\n"));
    folder(&files)
}

fn finish(child: Child) -> Output {
    child.wait_with_output().expect("wait for strata")
}

#[test]
fn two_migrators_at_once_one_applies_the_other_waits() {
    let dir = slow_folder();
    let mut db = fresh_db();
    let a = spawn_migrate(dir.path(), &db.url, &["apply"]);
    let b = spawn_migrate(dir.path(), &db.url, &["apply"]);
    let (a, b) = (finish(a), finish(b));
    let (ea, eb) = (text(&a.stderr), text(&b.stderr));
    assert!(a.status.success(), "{ea}");
    assert!(b.status.success(), "{eb}");
    let applied = |e: &str| e.contains("applied 4 migration(s)");
    let waited =
        |e: &str| e.contains("waiting for the migration lock") && e.contains("nothing to apply");
    assert!(
        (applied(&ea) && waited(&eb)) || (applied(&eb) && waited(&ea)),
        "A:\n{ea}\nB:\n{eb}"
    );
    assert_eq!(
        history(&mut db.client),
        vec![(1, true, 1), (2, true, 2), (3, true, 2), (4, true, 1)]
    );
}

#[test]
fn two_migrators_at_once_with_no_wait_one_stops_with_a_clear_message() {
    let dir = slow_folder();
    let mut db = fresh_db();
    let a = spawn_migrate(dir.path(), &db.url, &["apply", "--no-wait"]);
    let b = spawn_migrate(dir.path(), &db.url, &["apply", "--no-wait"]);
    let (a, b) = (finish(a), finish(b));
    let (ea, eb) = (text(&a.stderr), text(&b.stderr));
    let stopped = |o: &Output, e: &str| {
        o.status.code() == Some(2)
            && e.contains("another migrator holds the migration lock")
            && e.contains("strata migrate")
    };
    assert!(
        (a.status.success() && stopped(&b, &eb)) || (b.status.success() && stopped(&a, &ea)),
        "A ({:?}):\n{ea}\nB ({:?}):\n{eb}",
        a.status.code(),
        b.status.code()
    );
    assert_eq!(history(&mut db.client).len(), 4);
    let _: PathBuf = dir.path().to_path_buf();
}

/// Migrations the way a service that migrates at startup ships them: data, then concurrent
/// index builds (which wait for every transaction of the database that holds a snapshot).
const STARTUP: &[(&str, &str)] = &[
    (
        "0001_items.up.sql",
        "CREATE TABLE items (id bigint PRIMARY KEY, a int NOT NULL, b text NOT NULL);\nINSERT INTO items SELECT g, g % 97, md5(g::text) FROM generate_series(1, 20000) g;\n",
    ),
    (
        "0002_items_idx.up.sql",
        "CREATE INDEX CONCURRENTLY items_a_idx ON items (a);\nCREATE INDEX CONCURRENTLY items_b_idx ON items (b);\n",
    ),
    (
        "0003_items_c.up.sql",
        "ALTER TABLE items ADD COLUMN c int;\nUPDATE items SET c = a * 2;\n",
    ),
    (
        "0004_items_c_idx.up.sql",
        "CREATE INDEX CONCURRENTLY items_c_idx ON items (c);\nCREATE UNIQUE INDEX CONCURRENTLY items_b_id_idx ON items (b, id);\n",
    ),
];

/// What the sessions of the other migrators are doing while one holds the lock: none may
/// keep a snapshot beyond a short query (a concurrent index build waits for it) or block
/// inside the server on the advisory lock (which the deadlock detector then resolves by
/// killing someone).
fn waiters_holding_a_snapshot(c: &mut postgres::Client) -> Vec<String> {
    c.query(
        "SELECT a.pid::text || ' ' || coalesce(a.state, '') || ' ' || coalesce(a.wait_event, '')
                || ' xmin=' || coalesce(a.backend_xmin::text, 'NULL') || ' ' || a.query
         FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.application_name = 'strata migrate'
           AND NOT EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)
           AND (a.state = 'idle in transaction' OR a.wait_event = 'advisory'
                OR (a.backend_xmin IS NOT NULL
                    AND (a.state <> 'active' OR clock_timestamp() - a.query_start > interval '1 second')))",
        &[],
    )
    .expect("pg_stat_activity")
    .iter()
    .map(|r| r.get(0))
    .collect()
}

#[test]
fn eight_migrators_at_startup_never_deadlock_and_leave_the_database_clean() {
    let dir = folder(STARTUP);
    for round in 0..10 {
        let mut db = fresh_db();
        let children: Vec<Child> = (0..8)
            .map(|_| spawn_migrate(dir.path(), &db.url, &["apply"]))
            .collect();
        let mut seen = Vec::new();
        // Sample the sessions while the migrators run.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(120) {
            seen.extend(waiters_holding_a_snapshot(&mut db.client));
            let running: i64 = db
                .client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = 'strata migrate'",
                    &[],
                )
                .expect("pg_stat_activity")
                .get(0);
            if running == 0 && start.elapsed() > Duration::from_secs(1) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let outs: Vec<Output> = children.into_iter().map(finish).collect();
        for (i, o) in outs.iter().enumerate() {
            assert!(
                o.status.success(),
                "round {round}, migrator {i} exited {:?}:\n{}",
                o.status.code(),
                text(&o.stderr)
            );
        }
        let appliers = outs
            .iter()
            .filter(|o| text(&o.stderr).contains("applied 4 migration(s)"))
            .count();
        assert_eq!(
            appliers, 1,
            "round {round}: one migrator applies everything"
        );
        assert!(
            seen.is_empty(),
            "round {round}: waiting migrators held a snapshot or blocked on the lock:\n{}",
            seen.join("\n")
        );
        assert_eq!(
            history(&mut db.client),
            vec![(1, true, 2), (2, true, 2), (3, true, 2), (4, true, 2)],
            "round {round}"
        );
        let invalid: i64 = db
            .client
            .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
            .expect("pg_index")
            .get(0);
        assert_eq!(
            invalid, 0,
            "round {round}: an INVALID index was left behind"
        );
        assert_eq!(
            indexes(&mut db.client),
            vec![
                "items_a_idx",
                "items_b_id_idx",
                "items_b_idx",
                "items_c_idx",
                "items_pkey"
            ],
            "round {round}"
        );
    }
}

#[test]
fn a_migrator_gives_up_after_its_wait_timeout_with_a_clear_message() {
    let dir = folder(BASE);
    let mut db = fresh_db();
    // Another session holds the migration lock ("STRATAMG") and keeps it.
    let mut holder = postgres::Client::connect(&db.url, postgres::NoTls).expect("connect");
    holder
        .batch_execute(&format!(
            "SET application_name = 'other deploy'; SELECT pg_advisory_lock({})",
            i64::from_be_bytes(*b"STRATAMG")
        ))
        .expect("hold the lock");
    let started = Instant::now();
    let out = migrate(dir.path(), Some(&db.url), &["apply", "--wait-timeout", "1"]);
    let err = fails(&out);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        err.contains("gave up waiting for the migration lock after 1 s")
            && err.contains("other deploy")
            && err.contains("--wait-timeout"),
        "{err}"
    );
    assert!(tables(&mut db.client).is_empty());
    drop(holder);
    ok(&migrate(
        dir.path(),
        Some(&db.url),
        &["apply", "--wait-timeout", "5"],
    ));
    assert_eq!(history(&mut db.client).len(), 3);
}

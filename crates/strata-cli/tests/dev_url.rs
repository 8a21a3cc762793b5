//! `--dev-url` on every command that applies SQL input or brings a design to server form:
//! each works against a real server, leaves no scratch database behind, and a server that
//! refuses shows its own message.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::*;

/// The tests share one dev server and count its scratch databases: one at a time.
static DEV_SERVER: Mutex<()> = Mutex::new(());

const V1_SQL: &str = "CREATE TABLE public.item (id integer PRIMARY KEY, name text NOT NULL);\n";
const V2_SQL: &str =
    "CREATE TABLE public.item (id integer PRIMARY KEY, name text NOT NULL, note text);\n";
const V1_STRATA: &str = "entity Item {\n  name text\n}\n";
const V2_STRATA: &str = "entity Item {\n  name text\n  note text?\n}\n";

fn scratch_databases(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'strata\\_scratch\\_%'",
            &[],
        )
        .expect("list databases")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = strata().args(args).output().expect("run strata");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_command_works_with_dev_url_and_cleans_up() {
    let _one_at_a_time = DEV_SERVER.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let dev = cluster.url("postgres");
    let mut admin = cluster.connect("postgres").expect("connect");
    let before = scratch_databases(&mut admin);

    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let v1 = write(dir, "v1.sql", V1_SQL);
    let v2 = write(dir, "v2.sql", V2_SQL);
    std::fs::create_dir(dir.join("s1")).expect("mkdir");
    std::fs::create_dir(dir.join("s2")).expect("mkdir");
    let s1 = write(&dir.join("s1"), "schema.strata", V1_STRATA);
    let s2 = write(&dir.join("s2"), "schema.strata", V2_STRATA);
    let out = dir.join("out").display().to_string();
    let migrations = dir.join("migrations").display().to_string();
    std::fs::create_dir(&migrations).expect("mkdir");
    let target = cluster.create_database().expect("target db");
    let mut target_client = cluster.connect(&target).expect("connect target");
    target_client.batch_execute(V1_SQL).expect("v1 on target");
    let target_url = cluster.url(&target);

    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("check", vec!["check", &v2], "ok:"),
        ("build", vec!["build", &v2], "note text"),
        (
            "inspect",
            vec!["inspect", "--format", "sql", &v2],
            "note text",
        ),
        ("gen", vec!["gen", "drizzle", &v2, "--out", &out], ""),
        ("docs", vec!["docs", &v2, "--out", &out], ""),
        ("diff sql", vec!["diff", "--from", &v1, "--to", &v2], "note"),
        (
            "diff strata",
            vec!["diff", "--from", &s1, "--to", &s2],
            "note",
        ),
        (
            "apply",
            vec!["apply", "--to", &v2, &target_url, "--yes"],
            "",
        ),
        (
            "migrate new",
            vec![
                "migrate",
                "new",
                "add_note",
                "--schema",
                &s2,
                "--dir",
                &migrations,
            ],
            "",
        ),
    ];
    for (label, args, expect) in cases {
        let mut full = vec!["--dev-url", dev.as_str()];
        full.extend(args);
        let (code, stdout, stderr) = run(&full);
        assert!(
            code == Some(0) || code == Some(1),
            "{label} with --dev-url failed ({code:?}):\n{stdout}\n{stderr}"
        );
        assert!(
            stdout.contains(expect) || stderr.contains(expect),
            "{label}: expected {expect:?} in\n{stdout}\n{stderr}"
        );
        assert_eq!(
            scratch_databases(&mut admin),
            before,
            "{label} left a scratch database behind"
        );
    }
    // `apply` changed the target through a plan computed on the dev server.
    let note = target_client
        .query_opt(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'item' AND column_name = 'note'",
            &[],
        )
        .expect("query target");
    assert!(note.is_some(), "apply did not add the column");
    assert!(
        std::fs::read_dir(&migrations)
            .expect("migrations")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with("add_note.up.sql")),
        "migrate new wrote no migration"
    );
}

#[test]
fn a_dev_server_that_refuses_shows_its_message() {
    let _one_at_a_time = DEV_SERVER.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let mut admin = cluster.connect("postgres").expect("connect");
    admin
        .batch_execute(
            "DO $$ BEGIN CREATE ROLE strata_no_createdb LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        )
        .expect("role");
    let dev = format!(
        "postgres://strata_no_createdb@{}:{}/postgres",
        cluster.host(),
        cluster.port()
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let v1 = write(tmp.path(), "v1.sql", V1_SQL);
    let (code, stdout, stderr) = run(&["--dev-url", &dev, "check", &v1]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("permission denied to create database"),
        "the server's message is missing:\n{stderr}"
    );
}

#[test]
fn sql_input_on_a_dev_server_is_still_time_limited_and_transaction_checked() {
    let _one_at_a_time = DEV_SERVER.lock().unwrap_or_else(|e| e.into_inner());
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let dev = cluster.url("postgres");
    let tmp = tempfile::tempdir().expect("tmp");
    let slow = write(
        tmp.path(),
        "slow.sql",
        "CREATE TABLE t (id int);\nSET statement_timeout = 0;\nSELECT pg_sleep(600);\n",
    );
    let started = std::time::Instant::now();
    let (code, _, stderr) = run(&["--dev-url", &dev, "--sql-timeout", "2", "check", &slow]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("E6008"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let rollback = write(
        tmp.path(),
        "rollback.sql",
        "CREATE TABLE a (id int);\nROLLBACK;\nCREATE TABLE b (id int);\n",
    );
    let (code, _, stderr) = run(&["--dev-url", &dev, "check", &rollback]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("E6010"), "{stderr}");
}

//! `strata lint --fix` and `--diff` on a migrations folder: the diff writes nothing, the fix
//! rewrites the migration with the safe recipes, updates a `strata.sum` that matched (and
//! leaves one that did not, saying to rehash), leaves no finding it fixed, and the fixed
//! folder applies with `strata migrate apply` on a real server.

mod common;

use std::path::Path;
use std::process::Output;

use common::strata;

const INIT: &str = "\
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric);
";

const RISKY: &str = "\
-- Orders by customer.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn run(args: &[&str], dir: &Path) -> Output {
    strata()
        .args(args)
        .arg(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata")
}

/// A migrations folder with the two files, hashed.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("0001_init.up.sql"), INIT).expect("write");
    std::fs::write(dir.path().join("0002_risky.up.sql"), RISKY).expect("write");
    let out = run(&["migrate", "hash", "--dir"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

fn codes(dir: &Path) -> Vec<String> {
    let out = run(&["lint", "--format", "json"], dir);
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    found
        .iter()
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn diff_shows_the_fix_and_writes_nothing() {
    let dir = folder();
    let before = codes(dir.path());
    assert!(
        ["M001", "M003", "M009"]
            .iter()
            .all(|c| before.iter().any(|b| b == c)),
        "{before:?}"
    );
    let out = run(&["lint", "--diff"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(diff.contains("0002_risky.up.sql"), "{diff}");
    assert!(diff.contains("+-- strata:no-transaction"), "{diff}");
    assert!(
        diff.contains("+CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);"),
        "{diff}"
    );
    assert!(
        diff.contains("+ALTER TABLE public.orders VALIDATE CONSTRAINT orders_customer_id_fkey;"),
        "{diff}"
    );
    let now = std::fs::read_to_string(dir.path().join("0002_risky.up.sql")).expect("read");
    assert_eq!(now, RISKY, "--diff must not write");
}

#[test]
fn fix_rewrites_updates_the_sum_and_the_folder_applies() {
    let dir = folder();
    let out = run(&["lint", "--fix"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}{stderr}", text(&out.stdout));
    assert!(stderr.contains("fixed "), "{stderr}");
    assert!(stderr.contains("updated "), "{stderr}");
    assert!(
        stderr.contains("fix only migrations not yet applied"),
        "{stderr}"
    );
    let fixed = std::fs::read_to_string(dir.path().join("0002_risky.up.sql")).expect("read");
    assert!(fixed.starts_with("-- strata:no-transaction\n"), "{fixed}");
    assert!(fixed.contains(" NOT VALID;"), "{fixed}");
    assert!(
        fixed.contains("-- Orders by customer.\nCREATE INDEX CONCURRENTLY"),
        "{fixed}"
    );
    // The migration that needed nothing is untouched.
    let init = std::fs::read_to_string(dir.path().join("0001_init.up.sql")).expect("read");
    assert_eq!(init, INIT);
    let folder = strata_migrate::Folder::read(dir.path()).expect("read folder");
    folder
        .verify_sum()
        .expect("strata.sum matches the fixed files");
    assert!(codes(dir.path()).is_empty());

    // The runner takes the rewritten migration: its index is valid, its key validated.
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let out = strata()
        .args(["migrate", "apply", "--dir"])
        .arg(dir.path())
        .arg("--url")
        .arg(cluster.url(&db))
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata migrate apply");
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let mut c = cluster.connect(&db).expect("connect");
    let row = c
        .query_one(
            "SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer_id_idx'::regclass),
                    (SELECT convalidated FROM pg_constraint WHERE conname = 'orders_customer_id_fkey')",
            &[],
        )
        .expect("query");
    assert_eq!((row.get::<_, bool>(0), row.get::<_, bool>(1)), (true, true));
}

#[test]
fn a_sum_that_did_not_match_is_left_and_the_user_told_to_rehash() {
    let dir = folder();
    let sum = dir.path().join("strata.sum");
    let stale = std::fs::read_to_string(&sum)
        .expect("read sum")
        .replace("h1:", "h1:0");
    std::fs::write(&sum, &stale).expect("write");
    let out = run(&["lint", "--fix"], dir.path());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("strata migrate hash"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&sum).expect("read"), stale);
}

#[test]
fn a_statement_in_the_files_own_block_is_left_and_said_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("m.sql");
    let sql = "CREATE TABLE orders (id int, customer_id int);\nBEGIN;\nCREATE INDEX CONCURRENTLY orders_c_idx ON orders (customer_id);\nCOMMIT;\n";
    std::fs::write(&file, sql).expect("write");
    let out = strata()
        .args(["lint", "--fix"])
        .arg(&file)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run strata");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("M002 not fixed: inside the file's own BEGIN"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), sql);
    assert_eq!(out.status.code(), Some(1));
}

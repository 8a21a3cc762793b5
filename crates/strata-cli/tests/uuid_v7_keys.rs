//! `primary_key uuid_v7` keys, on the shared cluster's server (the version matrix runs this on
//! PostgreSQL 14 to 18):
//! - by default the key calls the function Strata generates (`public.uuid_generate_v7()`), which
//!   every supported server runs, giving version-7 (time-ordered) UUIDs;
//! - with `postgres 18` the key is PostgreSQL 18's built-in `uuidv7()` and no function is
//!   generated; a server before 18 refuses that schema (it has no `uuidv7()`), and on 18
//!   `strata inspect` gives the conventions back.

mod common;

use std::path::Path;

const PORTABLE: &str = "conventions {\n  primary_key uuid_v7\n}\n\nentity Note {\n  body text\n}\n";
const BUILTIN: &str =
    "conventions {\n  postgres 18\n  primary_key uuid_v7\n}\n\nentity Note {\n  body text\n}\n";

fn build(dir: &Path, name: &str, source: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, source).expect("write .strata");
    common::build(&file)
}

/// Inserts two notes a few milliseconds apart; their ids, in insertion order.
fn insert_two(client: &mut postgres::Client) -> Vec<String> {
    let mut ids = Vec::new();
    for body in ["first", "second"] {
        let row = client
            .query_one(
                "INSERT INTO notes (body) VALUES ($1) RETURNING id::text",
                &[&body],
            )
            .expect("insert a note");
        ids.push(row.get::<_, String>(0));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    ids
}

/// Version 7 (the version nibble, 13th hex digit, is 7), and later ids sort after earlier ones.
fn assert_time_ordered_v7(ids: &[String]) {
    for id in ids {
        assert_eq!(id.chars().nth(14), Some('7'), "not a version-7 UUID: {id}");
    }
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "not time-ordered: {ids:?}"
    );
}

#[test]
fn uuid_v7_keys_call_the_generated_function_by_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sql = build(dir.path(), "portable.strata", PORTABLE);
    assert!(
        sql.contains("id uuid DEFAULT public.uuid_generate_v7() NOT NULL"),
        "{sql}"
    );
    assert!(sql.contains("FUNCTION public.uuid_generate_v7()"), "{sql}");
    let mut client = common::fresh_db_with(&sql);
    assert_time_ordered_v7(&insert_two(&mut client));
}

#[test]
fn postgres_18_keys_use_the_builtin_uuidv7() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sql = build(dir.path(), "builtin.strata", BUILTIN);
    assert!(sql.contains("id uuid DEFAULT uuidv7() NOT NULL"), "{sql}");
    assert!(!sql.contains("uuid_generate_v7"), "{sql}");

    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    let applied = strata_pg::apply_sql(&mut client, &sql);
    if cluster.server_version_num() < 180000 {
        let error = applied.expect_err("a server before 18 ran uuidv7()");
        assert!(
            error
                .to_string()
                .contains("function uuidv7() does not exist"),
            "{error}"
        );
        return;
    }
    applied.expect("apply on PostgreSQL 18");
    assert_time_ordered_v7(&insert_two(&mut client));

    let out = common::strata()
        .args(["inspect", &cluster.url(&db)])
        .output()
        .expect("run strata inspect");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("postgres 18") && text.contains("primary_key uuid_v7"),
        "{text}"
    );
    assert!(!text.contains("uuidv7()"), "{text}");
    let rebuilt = build(dir.path(), "inspected.strata", &text);
    let copy = cluster.create_database().expect("create database");
    let mut copy_client = cluster.connect(&copy).expect("connect");
    strata_pg::apply_sql(&mut copy_client, &rebuilt).expect("apply the inspected schema");
    assert_eq!(
        common::schema_snapshot(cluster, &copy),
        common::schema_snapshot(cluster, &db),
        "inspect → build:\n{text}"
    );
}

//! `strata advise` end to end on a real server with hypopg and pg_stat_statements: a missing
//! index proposed with a lower cost after, a duplicate and an unused index proposed for drop,
//! the emitted migration applied by `strata migrate apply` after which nothing more is
//! proposed, the database unchanged by advise itself, and no password printed or written.

mod common;

use common::{repo_root, strata};
use strata_pg::postgres;

const PASSWORD: &str = "advise-s3cret-pw";

/// A cluster of PostgreSQL 15 (whose hypopg Debian packages) with pg_stat_statements loaded.
fn cluster() -> strata_pg::Cluster {
    strata_pg::Cluster::start_with(strata_pg::ClusterOptions {
        version: Some(15),
        settings: vec![(
            "shared_preload_libraries".into(),
            "pg_stat_statements".into(),
        )],
        ..Default::default()
    })
    .expect("throwaway PostgreSQL 15 cluster")
}

/// A database of 200,000 tasks: an index on user_id but none that orders a user's tasks by
/// creation, two identical indexes on due_date and one on title that nothing reads. Returns the URL of a superuser with a
/// password (advise creates hypopg in its rolled-back transaction, which needs one).
fn tasks_db(c: &strata_pg::Cluster) -> (String, postgres::Client) {
    let db = c.create_database().expect("database");
    let mut client = c.connect(&db).expect("connect");
    client
        .batch_execute(&format!(
            "CREATE ROLE advisor LOGIN SUPERUSER PASSWORD '{PASSWORD}';
             CREATE TABLE tasks (
               id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               user_id bigint NOT NULL,
               title text NOT NULL,
               due_date timestamptz,
               completed boolean NOT NULL DEFAULT false,
               created_at timestamptz NOT NULL DEFAULT now());
             INSERT INTO tasks (user_id, title, due_date, created_at)
               SELECT g % 2000, 'task ' || g, now() + (g % 500) * interval '1 hour',
                      now() - g * interval '1 second'
               FROM generate_series(1, 200000) g;
             CREATE INDEX tasks_due_a ON tasks (due_date);
             CREATE INDEX tasks_due_b ON tasks (due_date);
             CREATE INDEX tasks_title_idx ON tasks (title);
             CREATE INDEX tasks_user_idx ON tasks (user_id);"
        ))
        .expect("tasks");
    client
        .batch_execute("VACUUM ANALYZE tasks")
        .expect("vacuum");
    let url = format!(
        "postgres://advisor:{PASSWORD}@{}:{}/{db}",
        c.host(),
        c.port()
    );
    (url, client)
}

const WORKLOAD: &str = r#"
entity Task {
  user_id    bigint
  title      text
  due_date   timestamptz?
  completed  bool = false
  created_at timestamptz
  rows 200K

  access recent_tasks 100/s """
    SELECT id, title FROM tasks WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20 """
  access due_soon 10/s """
    SELECT id, title FROM tasks WHERE due_date < $1 ORDER BY due_date LIMIT 20 """
  access complete_task 10/s """
    UPDATE tasks SET completed = true WHERE id = $1 """
}
"#;

/// Everything advise could change: relations with their files, indexes, extensions,
/// functions, roles' settings, and the rows.
fn state(client: &mut postgres::Client) -> String {
    let q = "SELECT concat_ws(' | ',
        (SELECT string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relfilenode, ',' ORDER BY 1)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'),
        (SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid::text, ',' ORDER BY 1) FROM pg_index),
        (SELECT string_agg(extname || ':' || extversion, ',' ORDER BY 1) FROM pg_extension),
        (SELECT count(*)::text FROM pg_proc),
        (SELECT string_agg(nspname, ',' ORDER BY 1) FROM pg_namespace),
        (SELECT count(*) || ':' || sum(hashtext(title || completed::text)) FROM tasks))";
    client.query_one(q, &[]).expect("state").get(0)
}

fn run(args: &[&str]) -> (serde_json::Value, String) {
    let out = strata().args(args).output().expect("run strata");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{args:?}\n{stdout}\n{stderr}");
    assert!(
        !stdout.contains(PASSWORD) && !stderr.contains(PASSWORD),
        "the password was printed:\n{stdout}\n{stderr}"
    );
    let v = if args.contains(&"json") {
        serde_json::from_str(&stdout).expect("JSON")
    } else {
        serde_json::Value::Null
    };
    (v, stdout)
}

fn names(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .expect(key)
        .iter()
        .map(|x| x["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn advise_adds_drops_emits_a_migration_and_then_proposes_nothing() {
    let c = cluster();
    let (url, mut client) = tasks_db(&c);
    let dir = tempfile::tempdir().expect("tempdir");
    let workload = dir.path().join("workload");
    std::fs::create_dir(&workload).expect("workload dir");
    std::fs::write(workload.join("tasks.strata"), WORKLOAD).expect("workload");
    let migrations = dir.path().join("migrations");
    let w = workload.to_str().expect("path");
    let m = migrations.to_str().expect("path");

    let before = state(&mut client);
    let (v, _) = run(&[
        "advise",
        &url,
        "--workload",
        w,
        "--format",
        "json",
        "--emit-migration",
        m,
    ]);
    // advise itself changed nothing: no extension left, no index, the same files and rows.
    assert_eq!(state(&mut client), before, "advise changed the database");

    // The per-user list gets its index, and its cost falls.
    let add = v["add"].as_array().expect("add");
    let list = add
        .iter()
        .find(|a| {
            let sql = a["sql"].as_str().unwrap_or_default();
            sql.contains("(user_id, created_at")
        })
        .unwrap_or_else(|| panic!("no index for recent_tasks proposed: {v:#}"));
    assert!(
        list["sql"]
            .as_str()
            .unwrap_or_default()
            .starts_with("CREATE INDEX CONCURRENTLY")
    );
    assert!(
        list["bytes"].as_i64().unwrap_or(0) > 0,
        "hypopg's size: {list}"
    );
    let p = list["patterns"]
        .as_array()
        .expect("patterns")
        .iter()
        .find(|p| p["statement"] == "recent_tasks")
        .unwrap_or_else(|| panic!("recent_tasks not served: {list}"));
    let (b, a) = (
        p["before"].as_f64().expect("before"),
        p["after"].as_f64().expect("after"),
    );
    assert!(a < b * 0.5, "cost {b} -> {a}");
    // Ticking a task off (an UPDATE of `completed`) does not maintain it; nothing inserts.
    assert_eq!(list["writes_per_sec"].as_f64(), Some(0.0), "{list}");

    // The duplicate and the unused index go; the primary key and the kept twin stay.
    let drop = v["drop"].as_array().expect("drop");
    let due_b = drop
        .iter()
        .find(|d| d["name"] == "tasks_due_b")
        .unwrap_or_else(|| panic!("the duplicate is not dropped: {v:#}"));
    assert_eq!(due_b["reason"], "duplicate");
    assert_eq!(due_b["by"], "tasks_due_a");
    let title = drop
        .iter()
        .find(|d| d["name"] == "tasks_title_idx")
        .unwrap_or_else(|| panic!("the unused index is not dropped: {v:#}"));
    assert_eq!(title["reason"], "unused");
    // The per-user index is a prefix of the addition: covered once it exists.
    let user = drop
        .iter()
        .find(|d| d["name"] == "tasks_user_idx")
        .unwrap_or_else(|| panic!("the covered index is not dropped: {v:#}"));
    assert_eq!(user["reason"], "covered");
    assert_eq!(user["by"], list["name"]);
    assert_eq!(names(&v, "drop").len(), 3, "{v:#}");
    // The server's own count of writes to the table the proposals touch.
    assert!(
        v["table_writes"]["public.tasks"]["inserts"].is_f64(),
        "{v:#}"
    );

    // The migration: concurrent, no transaction, no password in it.
    let up = std::fs::read_dir(&migrations)
        .expect("migrations")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".up.sql"))
        .expect("an up file");
    let text = std::fs::read_to_string(up.path()).expect("up");
    assert!(text.contains("strata:no-transaction"), "{text}");
    assert!(text.contains("CREATE INDEX CONCURRENTLY"), "{text}");
    assert!(
        text.contains("DROP INDEX CONCURRENTLY public.tasks_due_b"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");

    let out = strata()
        .args(["migrate", "apply", "--dir", m, "--url", &url])
        .output()
        .expect("migrate apply");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let indexes: Vec<String> = client
        .query(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'tasks'::regclass ORDER BY 1",
            &[],
        )
        .expect("indexes")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(!indexes.contains(&"tasks_due_b".to_string()), "{indexes:?}");
    assert!(indexes.contains(&"tasks_due_a".to_string()), "{indexes:?}");

    // Afterwards: nothing more to add or drop.
    let (again, _) = run(&["advise", &url, "--workload", w, "--format", "json"]);
    assert!(
        names(&again, "add").is_empty() && names(&again, "drop").is_empty(),
        "{again:#}"
    );
    let (_, human) = run(&["advise", &url, "--workload", w]);
    assert!(human.contains("nothing to add or drop"), "{human}");
}

#[test]
fn advise_without_hypopg_on_the_server_says_what_to_install_and_changes_nothing() {
    // The PostgreSQL 16 of the version matrix (target/pg/16) comes without hypopg.
    let c = strata_pg::Cluster::start_with(strata_pg::ClusterOptions {
        version: Some(16),
        ..Default::default()
    })
    .expect("throwaway PostgreSQL 16 cluster (scripts/install_postgres_versions)");
    let (url, mut client) = tasks_db(&c);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("tasks.strata"), WORKLOAD).expect("workload");
    let before = state(&mut client);
    let out = strata()
        .args(["advise", &url, "--workload"])
        .arg(dir.path())
        .output()
        .expect("run strata");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no hypopg extension") && stderr.contains("postgresql-NN-hypopg"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert_eq!(state(&mut client), before, "advise changed the database");
}

#[test]
fn advise_reads_the_workload_from_pg_stat_statements() {
    let c = cluster();
    let (url, mut client) = tasks_db(&c);
    client
        .batch_execute("CREATE EXTENSION pg_stat_statements; SELECT pg_stat_statements_reset();")
        .expect("pg_stat_statements");
    for i in 0..20 {
        client
            .query(
                "SELECT id FROM tasks WHERE user_id = $1 AND completed ORDER BY created_at DESC LIMIT 10",
                &[&(i as i64)],
            )
            .expect("query");
    }
    let before = state(&mut client);
    let (v, _) = run(&["advise", &url, "--format", "json"]);
    assert_eq!(state(&mut client), before, "advise changed the database");
    let stmt = v["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| {
            s["source"] == "pg_stat_statements"
                && s["sql"].as_str().unwrap_or("").contains("user_id = $1")
        })
        .unwrap_or_else(|| panic!("the application's query is not in the workload: {v:#}"));
    assert!(stmt["rate"].as_f64().unwrap_or(0.0) > 0.0, "{stmt}");
    assert!(
        stmt["cost_after"].as_f64() < stmt["cost_before"].as_f64(),
        "{stmt}"
    );
    let add = v["add"].as_array().expect("add");
    assert!(
        add.iter()
            .any(|a| a["sql"].as_str().unwrap_or("").contains("(user_id")),
        "{v:#}"
    );
    // No statement of its own (EXPLAIN, the catalog reads) is taken for the application's.
    for s in v["statements"].as_array().expect("statements") {
        let sql = s["sql"].as_str().unwrap_or_default();
        assert!(
            !sql.contains("pg_catalog") && !sql.starts_with("EXPLAIN"),
            "{sql}"
        );
    }
}

#[test]
fn advise_on_a_design_uses_a_seeded_throwaway_copy() {
    let todo = repo_root().join("examples/todo");
    let (v, _) = run(&[
        "advise",
        todo.to_str().expect("path"),
        "--scale",
        "0.001",
        "--rows",
        "tasks=5000",
        "--format",
        "json",
    ]);
    assert_eq!(v["on"], "throwaway copy");
    let statements = v["statements"].as_array().expect("statements");
    assert!(statements.len() >= 10, "{v:#}");
    for s in statements {
        assert_eq!(s["source"], "pattern");
        assert!(s["cost_before"].as_f64().unwrap_or(0.0) > 0.0, "{s}");
        assert!(s["cost_after"].as_f64() <= s["cost_before"].as_f64(), "{s}");
    }
}

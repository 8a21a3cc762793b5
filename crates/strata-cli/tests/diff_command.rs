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
        "entity Customer {\n  mail text(100) unique\n  nick text\n}\n",
    );
    write(
        d,
        "b/s.strata",
        "entity Client {\n  renamed_from Customer\n  email text(100) unique renamed_from mail\n  nick text\n}\n",
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
    // The length check and the unique key are named after the table and the column: they
    // follow both renames instead of being dropped and validated again.
    assert!(
        script.contains(
            "ALTER TABLE public.clients RENAME CONSTRAINT customers_mail_length TO clients_email_length;"
        ),
        "{script}"
    );
    assert!(
        script.contains(
            "ALTER TABLE public.clients RENAME CONSTRAINT customers_mail_key TO clients_email_key;"
        ),
        "{script}"
    );
    assert!(!script.contains("DROP CONSTRAINT"), "{script}");
    assert!(!script.contains("VALIDATE"), "{script}");
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

const APP_TABLES: &str = "\
entity Task {
  title text
  grant select to strata_diff_app
}
entity Note {
  body text
}
";

/// `(tasks, notes)`: does the application role hold all four of SELECT, INSERT, UPDATE and
/// DELETE on each?
fn app_privileges(client: &mut postgres::Client) -> (bool, bool) {
    let has = |client: &mut postgres::Client, table: &str| -> bool {
        client
            .query_one(
                "SELECT has_table_privilege('strata_diff_app', $1, 'SELECT,INSERT,UPDATE,DELETE')
                    AND has_table_privilege('strata_diff_app', $1, 'SELECT')
                    AND has_table_privilege('strata_diff_app', $1, 'INSERT')
                    AND has_table_privilege('strata_diff_app', $1, 'UPDATE')
                    AND has_table_privilege('strata_diff_app', $1, 'DELETE')",
                &[&table],
            )
            .expect("privileges")
            .get(0)
    };
    (has(client, "public.tasks"), has(client, "public.notes"))
}

/// Grants made outside the design (an application role's privileges) and a migration tool's
/// bookkeeping table survive `strata apply --to design` and do not show in `strata diff`;
/// `--prune` revokes the grants, with the `breaks_clients` hazard, and still keeps the table.
#[test]
fn grants_outside_the_design_are_left_alone_unless_pruned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "v1/s.strata", APP_TABLES);
    write(
        d,
        "v2/s.strata",
        &APP_TABLES.replace("  body text\n", "  body text\n  pinned bool = false\n"),
    );
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let dev = cluster.url(&cluster.create_database().expect("dev database"));
    let (url, mut client) = database_with(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'strata_diff_app') THEN
             CREATE ROLE strata_diff_app;
           END IF;
         END $$;",
    );
    let (code, ddl, err) = run_in(d, &["--dev-url", &dev, "build", "v1"]);
    assert_eq!(code, Some(0), "{err}");
    client.batch_execute(&ddl).expect("v1");
    client
        .batch_execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO strata_diff_app;
             CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
             INSERT INTO alembic_version VALUES ('abc123');",
        )
        .expect("outside the design");
    assert_eq!(app_privileges(&mut client), (true, true));

    let (code, _, err) = run_in(
        d,
        &["--dev-url", &dev, "apply", "--to", "v2", &url, "--yes"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "left alone: 2 grants to strata_diff_app not in the design; pass --prune to revoke them"
        ),
        "{err}"
    );
    assert!(
        err.contains("INSERT, UPDATE, DELETE on table public.tasks to strata_diff_app"),
        "{err}"
    );
    assert!(err.contains("table public.alembic_version"), "{err}");
    assert_eq!(app_privileges(&mut client), (true, true));
    let pinned: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'pinned'",
            &[],
        )
        .expect("column")
        .get(0);
    assert_eq!(pinned, 1, "the design's change was applied");

    let (code, out, err) = run_in(
        d,
        &["--dev-url", &dev, "diff", "--from", &url, "--to", "v2"],
    );
    assert_eq!((code, out.trim()), (Some(0), "-- no changes"), "{err}");
    assert!(err.contains("pass --prune"), "{err}");

    // With --prune: the undeclared privileges are revoked, a hazard that must be allowed.
    let (code, out, err) = run_in(
        d,
        &[
            "--dev-url",
            &dev,
            "diff",
            "--from",
            &url,
            "--to",
            "v2",
            "--prune",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("REVOKE INSERT, UPDATE, DELETE ON TABLE public.tasks FROM strata_diff_app;"),
        "{out}"
    );
    assert!(
        out.contains(
            "REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLE public.notes FROM strata_diff_app;"
        ),
        "{out}"
    );
    assert!(
        !out.contains("REVOKE SELECT ON TABLE public.tasks"),
        "{out}"
    );
    assert!(!out.contains("alembic_version"), "{out}");
    assert!(err.contains("breaks_clients"), "{err}");
    let (code, _, err) = run_in(
        d,
        &[
            "--dev-url",
            &dev,
            "apply",
            "--to",
            "v2",
            &url,
            "--yes",
            "--prune",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("breaks_clients"), "{err}");
    assert_eq!(app_privileges(&mut client), (true, true));
    let (code, _, err) = run_in(
        d,
        &[
            "--dev-url",
            &dev,
            "apply",
            "--to",
            "v2",
            &url,
            "--yes",
            "--prune",
            "--allow-hazard",
            "breaks_clients",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(app_privileges(&mut client), (false, false));
    let declared: bool = client
        .query_one(
            "SELECT has_table_privilege('strata_diff_app', 'public.tasks', 'SELECT')",
            &[],
        )
        .expect("declared grant")
        .get(0);
    assert!(declared, "the grant the design declares stays");
    let version: String = client
        .query_one("SELECT version_num FROM alembic_version", &[])
        .expect("bookkeeping table kept")
        .get(0);
    assert_eq!(version, "abc123");
}

/// A required column without a default cannot be added to a table with rows: planned from a
/// live database that has rows, `diff` and `apply` say so and apply nothing; on an empty
/// table the same change applies.
#[test]
fn required_column_without_default_on_a_table_with_rows_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "v1/s.strata", "entity Item {\n  title text\n}\n");
    write(
        d,
        "v2/s.strata",
        "entity Item {\n  title text\n  code text\n}\n",
    );
    let (_, ddl, _) = run_in(d, &["build", "v1"]);
    let (url, mut client) = database_with(&ddl);
    let (empty_url, mut empty) = database_with(&ddl);
    client
        .batch_execute("INSERT INTO items (title) VALUES ('a'), ('b')")
        .expect("rows");

    let (code, _, err) = run_in(
        d,
        &[
            "apply",
            "--to",
            "v2",
            &url,
            "--yes",
            "--allow-hazard",
            "all",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("would fail: public.items has rows")
            && err.contains("Give the field a default"),
        "{err}"
    );
    let code_column = |c: &mut postgres::Client| -> i64 {
        c.query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'code'",
            &[],
        )
        .expect("columns")
        .get(0)
    };
    assert_eq!(code_column(&mut client), 0, "nothing applied");
    let (code, _, err) = run_in(d, &["diff", "--from", &url, "--to", "v2"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("would fail: public.items has rows"), "{err}");

    let (code, _, err) = run_in(
        d,
        &[
            "apply",
            "--to",
            "v2",
            &empty_url,
            "--yes",
            "--allow-hazard",
            "all",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(code_column(&mut empty), 1);
}

/// A column dropped while one of the same type is added, or a table dropped while one with
/// the same columns is created, is planned as a drop and a create (renames are never
/// guessed), with a hint saying how to declare the rename.
#[test]
fn undeclared_renames_get_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a/s.strata",
        "entity Customer {\n  mail text\n  age int\n}\nentity Memo {\n  body text\n}\n",
    );
    write(
        d,
        "b/s.strata",
        "entity Customer {\n  email text\n  age int\n}\nentity Note {\n  body text\n}\n",
    );
    let (code, script, err) = run_in(d, &["diff", "--from", "a", "--to", "b"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(script.contains("DROP COLUMN mail"), "{script}");
    assert!(
        err.contains(
            "hint: column customers.mail is dropped and customers.email of the same type (text) is added: if it is a rename, declare it in the design (`email ... renamed_from mail`)"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "hint: table public.memos is dropped and public.notes with the same columns is created"
        ),
        "{err}"
    );
    // Declared, the hint is gone.
    write(
        d,
        "b/s.strata",
        "entity Customer {\n  email text renamed_from mail\n  age int\n}\nentity Note {\n  renamed_from Memo\n  body text\n}\n",
    );
    let (code, _, err) = run_in(d, &["diff", "--from", "a", "--to", "b"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains("hint:"), "{err}");
}

/// Columns moved to a new table: the new table is created before the old columns are
/// dropped, and on the way back the columns come back before the table goes, so a data
/// copy can sit in between.
#[test]
fn a_split_creates_before_it_drops_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "a.sql",
        "CREATE TABLE tasks (id int PRIMARY KEY, title text NOT NULL, description text);\n",
    );
    write(
        d,
        "b.sql",
        "CREATE TABLE tasks (id int PRIMARY KEY, title text NOT NULL);\n\
         CREATE TABLE task_details (task_id int PRIMARY KEY REFERENCES tasks (id), description text);\n",
    );
    let (_, json, err) = run_in(
        d,
        &[
            "diff", "--from", "a.sql", "--to", "b.sql", "--format", "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {err}"));
    let position = |steps: &serde_json::Value, needle: &str| -> usize {
        steps
            .as_array()
            .and_then(|s| {
                s.iter()
                    .position(|x| x["sql"].as_str().is_some_and(|q| q.contains(needle)))
            })
            .unwrap_or_else(|| panic!("no step with {needle}: {steps}"))
    };
    let up = &v["steps"];
    assert!(
        position(up, "CREATE TABLE public.task_details") < position(up, "DROP COLUMN description"),
        "{up}"
    );
    let down = &v["down"];
    assert!(
        position(down, "ADD COLUMN description") < position(down, "DROP TABLE public.task_details"),
        "{down}"
    );
}

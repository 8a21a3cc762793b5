//! `strata lint --trace` (a migration run on a throwaway database holding the schema before
//! it: locks from a second connection, rewrites, lock_timeout, next to the static findings) and
//! `strata lint --from SRC --to SRC` (the plan `strata diff` makes, through the migration
//! rules): the planner's online recipes lint clean and the server agrees with every lock and
//! rewrite the rules claim; where a change cannot be made safe, the linter names the same
//! hazard the planner does.

mod common;

use std::path::Path;

use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write a file");
    p.display().to_string()
}

/// Runs `strata --dev-url SHARED lint ARGS --format json`: (exit code, JSON, stderr).
fn lint_json(args: &[&str]) -> (Option<i32>, Value, String) {
    let cluster = strata_pg::shared_cluster().expect("throwaway cluster");
    let out = common::strata()
        .args([
            "--dev-url",
            &cluster.url("postgres"),
            "lint",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .expect("run strata lint");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (out.status.code(), json, stderr)
}

fn codes(findings: &Value) -> Vec<String> {
    let mut v: Vec<String> = findings
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

fn disagreements(trace: &Value) -> Vec<String> {
    trace
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s["disagreements"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |d| format!("line {}: {d}", s["line"]))
        })
        .collect()
}

const BEFORE: &str =
    "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, note text);
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;
";

#[test]
fn a_migration_is_traced_on_the_schema_from_before() {
    let tmp = tempfile::tempdir().expect("tmp");
    let before = write(tmp.path(), "before.sql", BEFORE);
    let migration = write(
        tmp.path(),
        "m.sql",
        "ALTER TABLE orders ADD COLUMN code text DEFAULT next_code();\n\
         ALTER TABLE orders ADD COLUMN fixed text DEFAULT fixed_code();\n\
         SET lock_timeout = '2s';\n\
         CREATE INDEX orders_total ON orders (total);\n",
    );
    let (code, json, stderr) = lint_json(&["--trace", &migration, "--from", &before]);
    assert_eq!(code, Some(1), "{stderr}");
    let steps = json["trace"].as_array().expect("trace steps");
    assert_eq!(steps.len(), 4);
    // The user's volatile function is known from pg_proc: M006, and the table got a new file.
    assert_eq!(steps[0]["rewritten"], serde_json::json!(["public.orders"]));
    assert_eq!(steps[0]["lock_timeout"], Value::Null);
    assert!(
        steps[0]["locks"]
            .as_array()
            .expect("locks")
            .iter()
            .any(|l| l["relation"] == "public.orders" && l["mode"] == "ACCESS EXCLUSIVE")
    );
    // The immutable one adds the column without touching the rows.
    assert_eq!(steps[1]["rewritten"], serde_json::json!([]));
    assert_eq!(steps[3]["lock_timeout"], "2s");
    assert_eq!(steps[3]["transaction"], "own");
    let found: Vec<(String, u64)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(found.contains(&("M006".into(), 1)), "{found:?}");
    assert!(
        !found.iter().any(|(c, l)| c == "M006" && *l == 2),
        "{found:?}"
    );
    assert!(found.contains(&("M001".into(), 4)), "{found:?}");
    assert!(disagreements(&json["trace"]).is_empty(), "{json}");
}

#[test]
fn from_a_database_url_its_schema_is_read_back() {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let mut client = cluster.connect(&db).expect("connect");
    client.batch_execute(BEFORE).expect("schema");
    client
        .batch_execute("INSERT INTO orders VALUES (1, 1, 'kept')")
        .expect("a row");
    let tmp = tempfile::tempdir().expect("tmp");
    let migration = write(
        tmp.path(),
        "m.sql",
        "DO $$ BEGIN IF (SELECT count(*) FROM orders) <> 0 THEN RAISE EXCEPTION 'rows copied'; END IF; END $$;\n\
         ALTER TABLE orders ADD COLUMN code text DEFAULT next_code();\n",
    );
    let (code, json, stderr) = lint_json(&["--trace", &migration, "--from", &cluster.url(&db)]);
    assert_eq!(code, Some(1), "{stderr}");
    let steps = json["trace"].as_array().expect("steps");
    // The schema, with the user's volatile function, and not the rows.
    assert_eq!(steps[0]["status"], "ran", "{json}");
    assert_eq!(steps[1]["rewritten"], serde_json::json!(["public.orders"]));
    assert!(
        codes(&json["findings"]).contains(&"M006".to_string()),
        "{json}"
    );
    // The database itself is untouched.
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE column_name = 'code'",
            &[],
        )
        .expect("query")
        .get(0);
    assert_eq!(n, 0);
}

#[test]
fn rows_fill_the_schema_before_the_trace() {
    let tmp = tempfile::tempdir().expect("tmp");
    let before = write(
        tmp.path(),
        "before.sql",
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n\
         CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total numeric NOT NULL);\n",
    );
    let migration = write(
        tmp.path(),
        "m.sql",
        "DO $$ BEGIN IF (SELECT count(*) FROM orders) <> 3000 OR (SELECT count(*) FROM customers) <> 3000 THEN RAISE EXCEPTION 'not seeded'; END IF; END $$;\n\
         SET lock_timeout = '5s';\n\
         ALTER TABLE orders ALTER COLUMN total TYPE text;\n",
    );
    let (code, json, stderr) =
        lint_json(&["--trace", &migration, "--from", &before, "--rows", "3000"]);
    assert_eq!(code, Some(1), "{stderr}");
    let steps = json["trace"].as_array().expect("steps");
    assert_eq!(steps[0]["status"], "ran", "{json}");
    assert_eq!(steps[2]["rewritten"], serde_json::json!(["public.orders"]));
    assert!(disagreements(&json["trace"]).is_empty(), "{json}");
}

#[test]
fn a_migrations_folder_is_traced_in_order_and_stops_at_a_failure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let m = tmp.path().join("migrations");
    std::fs::create_dir(&m).expect("folder");
    write(
        &m,
        "0001_orders.up.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);\n\
         INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g;\n",
    );
    write(
        &m,
        "0002_total_text.up.sql",
        "SET LOCAL lock_timeout = '5s';\n\
         ALTER TABLE orders ALTER COLUMN total TYPE text;\n",
    );
    write(
        &m,
        "0003_broken.up.sql",
        "ALTER TABLE nowhere ADD COLUMN x int;\n",
    );
    write(&m, "0004_after.up.sql", "CREATE TABLE later (id int);\n");
    let (code, json, stderr) = lint_json(&["--trace", &m.display().to_string()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("failed on the server"), "{stderr}");
    let steps = json["trace"].as_array().expect("steps");
    let status: Vec<&str> = steps.iter().filter_map(|s| s["status"].as_str()).collect();
    assert_eq!(status, ["ran", "ran", "ran", "ran", "failed", "not-run"]);
    // The second migration runs in the runner's transaction; the type change rewrites the
    // table created by the first (a live table by then), as M007 says.
    assert_eq!(steps[3]["transaction"], "runner");
    assert_eq!(steps[3]["rewritten"], serde_json::json!(["public.orders"]));
    assert_eq!(steps[3]["lock_timeout"], "5s");
    assert!(codes(&json["findings"]).contains(&"M007".to_string()));
    assert!(steps[3]["predicted"].as_array().is_some_and(|p| {
        p.iter()
            .any(|p| p["code"] == "M007" && p["rewrite"] == true)
    }));
    assert!(disagreements(&json["trace"]).is_empty(), "{json}");
}

/// (label, schema before, schema after, migration codes expected for the plan).
const PLANS: [(&str, &str, &str, &[&str]); 7] = [
    (
        "index",
        "",
        "CREATE INDEX orders_total ON orders (total);",
        &[],
    ),
    (
        "foreign key",
        "CREATE TABLE customers (id bigint PRIMARY KEY); ALTER TABLE orders ADD COLUMN customer_id bigint;",
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id); CREATE INDEX orders_customer_id ON orders (customer_id);",
        &[],
    ),
    (
        "check constraint",
        "",
        "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);",
        &[],
    ),
    (
        "set not null",
        "",
        "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
        &[],
    ),
    (
        "unique key",
        "",
        "ALTER TABLE orders ADD CONSTRAINT orders_note_key UNIQUE (note);",
        &[],
    ),
    // Hazards no recipe removes: the linter names them as the planner does.
    (
        "type change",
        "",
        "ALTER TABLE orders ALTER COLUMN total TYPE text;",
        &["M007"],
    ),
    (
        "dropped column",
        "",
        "ALTER TABLE orders DROP COLUMN note;",
        &["M010"],
    ),
];

#[test]
fn the_planners_recipes_lint_clean_and_the_server_agrees() {
    let base = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, note text);\n";
    let mut failures = Vec::new();
    for (label, before_extra, after_extra, expected) in PLANS {
        let tmp = tempfile::tempdir().expect("tmp");
        let from = write(tmp.path(), "from.sql", &format!("{base}{before_extra}\n"));
        let to = write(
            tmp.path(),
            "to.sql",
            &format!("{base}{before_extra}\n{after_extra}\n"),
        );
        let (code, json, stderr) = lint_json(&["--trace", "--from", &from, "--to", &to]);
        let found = codes(&json["findings"]);
        let steps = json["trace"].as_array().cloned().unwrap_or_default();
        if steps.is_empty() {
            failures.push(format!("{label}: the plan is empty\n{stderr}"));
        }
        if found != expected {
            failures.push(format!(
                "{label}: findings {found:?}, expected {expected:?}\n{json}"
            ));
        }
        let want = if expected.is_empty() {
            Some(0)
        } else {
            Some(1)
        };
        if code != want {
            failures.push(format!("{label}: exit {code:?}\n{stderr}"));
        }
        if steps.iter().any(|s| s["status"] != "ran") {
            failures.push(format!("{label}: a step did not run\n{json}"));
        }
        let d = disagreements(&json["trace"]);
        if !d.is_empty() {
            failures.push(format!("{label}: {d:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_plan_is_linted_without_trace_and_human_output_shows_the_trace() {
    let tmp = tempfile::tempdir().expect("tmp");
    let from = write(tmp.path(), "from.sql", BEFORE);
    let to = write(
        tmp.path(),
        "to.sql",
        &format!("{BEFORE}CREATE INDEX orders_total ON orders (total);\n"),
    );
    // Lines of the findings are lines of `strata diff`'s output: the plan lints clean.
    let (code, json, stderr) = lint_json(&["--from", &from, "--to", &to]);
    assert_eq!(
        (code, json.clone()),
        (Some(0), serde_json::json!([])),
        "{stderr}"
    );
    let migration = write(
        tmp.path(),
        "m.sql",
        "ALTER TABLE orders ALTER COLUMN total TYPE text;\n",
    );
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let out = common::strata()
        .args(["--dev-url", &cluster.url("postgres"), "lint", "--trace"])
        .arg(&migration)
        .args(["--from", &from])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    for expected in [
        "m.sql:1  ALTER TABLE orders ALTER COLUMN total TYPE text",
        "in its own transaction",
        "lock_timeout none",
        "locks: ACCESS EXCLUSIVE on public.orders",
        "rewritten: public.orders",
        "predicted: M007 ACCESS EXCLUSIVE + rewrite on public.orders.total",
        "traced 1 statement(s): 1 ran, 0 failed, 1 rewrote a table, 1 took SHARE or stronger on an existing relation without lock_timeout, 0 disagreement(s)",
        "warning[M007",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} missing from:\n{stdout}"
        );
    }
    // --from alone is refused with what to add.
    let out = common::strata()
        .args(["lint", "x.sql", "--from", &from])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --trace or --to"));
    // --since belongs to a plain lint.
    let out = common::strata()
        .args(["lint", "--trace", &migration, "--since", "HEAD"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("drop --since"));
}

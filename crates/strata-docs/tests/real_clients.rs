//! The outputs checked by the real clients: Mermaid's and DBML's own parsers (npm packages
//! in tools/node), headless Chromium for the HTML site, and PostgreSQL for the seed SQL.
//! A missing tool skips loudly locally and fails under `CI=true`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use strata_docs::{DocOptions, SeedOptions};

fn artifacts_dir() -> PathBuf {
    let dir = common::repo_root().join("target/test-artifacts/strata-docs");
    std::fs::create_dir_all(&dir).expect("create target/test-artifacts");
    dir
}

/// Runs a tools/node script on `files`; (success, stdout, stderr).
fn node(script: &str, files: &[&Path]) -> Option<(bool, String, String)> {
    let dir = common::node_tools()?;
    let out = Command::new("node")
        .arg(dir.join(script))
        .args(files)
        .current_dir(&dir)
        .output()
        .expect("run node");
    Some((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[test]
fn mermaid_parses_todo_and_rejects_a_broken_diagram() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let good = tmp.path().join("todo.mmd");
    std::fs::write(&good, strata_docs::mermaid::render(&common::todo())).expect("write");
    let Some((ok, stdout, stderr)) = node("check-mermaid.mjs", &[&good]) else {
        return;
    };
    assert!(ok, "mermaid rejected the Todo diagram:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains(": er"),
        "not parsed as an ER diagram: {stdout}"
    );

    // The check must be able to fail: an unsanitised type with spaces is a parse error.
    let bad = tmp.path().join("bad.mmd");
    std::fs::write(
        &bad,
        "erDiagram\n    users {\n        timestamp with time zone created_at\n    }\n",
    )
    .expect("write");
    let (ok, _, stderr) = node("check-mermaid.mjs", &[&bad]).expect("node available");
    assert!(!ok, "a broken diagram was accepted");
    assert!(stderr.contains("FAIL"), "{stderr}");
}

#[test]
fn mermaid_parses_hostile_names() {
    let model = hostile_model();
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("hostile.mmd");
    let text = strata_docs::mermaid::render(&model);
    std::fs::write(&file, &text).expect("write");
    let Some((ok, stdout, stderr)) = node("check-mermaid.mjs", &[&file]) else {
        return;
    };
    assert!(ok, "mermaid rejected:\n{text}\n{stdout}\n{stderr}");
}

#[test]
fn dbml_parses_todo_with_every_table_ref_and_enum() {
    let model = common::todo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("todo.dbml");
    let text = strata_docs::dbml::render(&model);
    std::fs::write(&file, &text).expect("write");
    let Some((ok, stdout, stderr)) = node("check-dbml.mjs", &[&file]) else {
        return;
    };
    assert!(ok, "@dbml/core rejected the DBML:\n{text}\n{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).expect("summary JSON");
    let tables = summary["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), model.tables.len());
    for t in &model.tables {
        let name = format!("{}.{}", t.name.schema, t.name.name);
        let found = tables
            .iter()
            .find(|x| x["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} missing from the parsed DBML"));
        assert_eq!(found["fields"], t.columns.len(), "{name} columns");
    }
    let fks: usize = model.tables.iter().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(summary["refs"], fks);
    assert_eq!(
        summary["enums"].as_array().map(Vec::len),
        Some(model.enums.len())
    );

    let bad = tmp.path().join("bad.dbml");
    std::fs::write(&bad, "Table users {\n  id uuid [pk\n}\n").expect("write");
    let (ok, _, _) = node("check-dbml.mjs", &[&bad]).expect("node available");
    assert!(!ok, "broken DBML was accepted");
}

/// Domain types are schema-qualified like enum types (`public.currency_code`), and the
/// result still parses.
#[test]
fn dbml_qualifies_domain_types_and_parses_saas() {
    let model = common::design(&common::repo_root().join("examples/saas"));
    assert!(!model.domains.is_empty(), "examples/saas declares a domain");
    let text = strata_docs::dbml::render(&model);
    for d in &model.domains {
        let qualified = format!(" {}.{} ", d.name.schema, d.name.name);
        let bare = format!(" {} ", d.name.name);
        let cols: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(&qualified) || l.contains(&bare))
            .collect();
        assert!(!cols.is_empty(), "no column of domain {}", d.name.name);
        for l in cols {
            assert!(l.contains(&qualified), "domain type not qualified: {l}");
        }
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("saas.dbml");
    std::fs::write(&file, &text).expect("write");
    let Some((ok, _, stderr)) = node("check-dbml.mjs", &[&file]) else {
        return;
    };
    assert!(ok, "@dbml/core rejected:\n{text}\n{stderr}");
}

#[test]
fn dbml_parses_hostile_names() {
    let model = hostile_model();
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("hostile.dbml");
    let text = strata_docs::dbml::render(&model);
    std::fs::write(&file, &text).expect("write");
    let Some((ok, _, stderr)) = node("check-dbml.mjs", &[&file]) else {
        return;
    };
    assert!(ok, "@dbml/core rejected:\n{text}\n{stderr}");
}

/// Applies `strata_sql` DDL and then the seed SQL to a fresh database; returns row counts.
fn apply_seed(model: &strata_model::Model, rows: usize) -> Vec<(String, i64)> {
    let ddl = strata_sql::render(model, &strata_sql::RenderOptions::default()).expect("DDL");
    let seed = strata_docs::seed::render(model, &SeedOptions { rows, seed: 42 }).expect("seed");
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, &ddl).expect("schema applies");
    if let Err(e) = strata_pg::apply_sql(&mut client, &seed) {
        panic!("seed SQL failed: {e}\n--- seed ---\n{seed}");
    }
    model
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .map(|t| {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM {}", t.name.quoted()), &[])
                .expect("count")
                .get(0);
            (t.name.name.clone(), n)
        })
        .collect()
}

#[test]
fn seed_sql_applies_to_todo_with_every_constraint() {
    for rows in [1, 50] {
        let counts = apply_seed(&common::todo(), rows);
        for (table, n) in &counts {
            // audit_log also receives a row per audited insert from the trigger.
            if table == "audit_log" {
                assert!(*n >= rows as i64, "{table}: {n}");
            } else {
                assert_eq!(*n, rows as i64, "{table} has {n} rows, expected {rows}");
            }
        }
    }
}

/// examples/saas has a domain check (`currency_code`: three capitals, not `XXX`) and a check
/// ordering two columns (`due_on >= issued_on`): the sample rows satisfy both on the server,
/// and no check is left uninterpreted.
#[test]
fn seed_sql_applies_to_saas_with_its_domain_and_order_checks() {
    let model = common::design(&common::repo_root().join("examples/saas"));
    let seed =
        strata_docs::seed::render(&model, &SeedOptions { rows: 50, seed: 42 }).expect("seed");
    assert!(!seed.contains("Checks not interpreted"), "{seed}");
    for rows in [1, 50] {
        let counts = apply_seed(&model, rows);
        assert!(
            counts
                .iter()
                .any(|(t, n)| t == "invoices" && *n == rows as i64),
            "{counts:?}"
        );
    }
    // The order is not vacuous: most sample invoices have both dates.
    let data =
        strata_docs::seed::generate(&model, &SeedOptions { rows: 50, seed: 42 }).expect("data");
    let inv = data
        .iter()
        .find(|d| d.table.name.name == "invoices")
        .expect("invoices");
    let pos = |n: &str| {
        inv.columns
            .iter()
            .position(|&c| inv.table.columns[c].name == n)
            .expect("column")
    };
    let (i, d) = (pos("issued_on"), pos("due_on"));
    let both = inv
        .rows
        .iter()
        .filter(|r| {
            !matches!(r[i], strata_docs::seed::Value::Null)
                && !matches!(r[d], strata_docs::seed::Value::Null)
        })
        .count();
    assert!(both >= 20, "{both} invoices with both dates");
}

/// A check the generators cannot read is named in the output, never silently broken.
#[test]
fn a_check_the_generator_cannot_satisfy_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("s.strata"),
        "domain odd int check `VALUE % 2 = 1`\n\nentity Box {\n  w int\n  h int\n  n odd\n  check squarish `abs(w - h) < 3`\n}\n",
    )
    .expect("write");
    let model = common::design(dir.path());
    let seed = strata_docs::seed::render(&model, &SeedOptions { rows: 3, seed: 1 }).expect("seed");
    assert!(seed.contains("Checks not interpreted"), "{seed}");
    assert!(seed.contains("boxes.squarish"), "{seed}");
    assert!(seed.contains("odd_check (domain odd)"), "{seed}");
}

#[test]
fn seed_sql_never_writes_a_secret_in_plain_text() {
    let model = common::todo();
    let seed = strata_docs::seed::render(&model, &SeedOptions { rows: 20, seed: 1 }).expect("seed");
    let users =
        strata_docs::seed::generate(&model, &SeedOptions { rows: 20, seed: 1 }).expect("generate");
    let mut checked = 0;
    for d in &users {
        for (k, &ci) in d.columns.iter().enumerate() {
            let col = &d.table.columns[ci];
            if !col.origin.sensitive {
                continue;
            }
            for row in &d.rows {
                let strata_docs::seed::Value::Text(v) = &row[k] else {
                    panic!(
                        "{}.{} is not a text placeholder",
                        d.table.name.name, col.name
                    );
                };
                assert!(v.starts_with("not-a-real-hash:"), "{v}");
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked, 40,
        "users.password_hash and sessions.token_hash, 20 rows each"
    );
    assert!(seed.contains("not-a-real-hash:"));
    assert!(
        !seed.contains("$argon2"),
        "nothing shaped like a real password hash"
    );
}

#[test]
fn html_site_renders_in_headless_chromium() {
    if !common::require(
        "chromium",
        Command::new("chromium").arg("--version"),
        "install the Debian package `chromium` (.ci/run does it)",
    ) {
        return;
    }
    let model = common::todo();
    let site = artifacts_dir().join("todo-site");
    let _ = std::fs::remove_dir_all(&site);
    for f in strata_docs::html::render(
        &model,
        &DocOptions {
            title: "todo".into(),
        },
    ) {
        let path = site.join(&f.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, f.content).expect("write page");
    }
    let chromium = |extra: &[&str], page: &Path| {
        let profile = tempfile::tempdir().expect("profile dir");
        let out = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("run chromium");
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let index = site.join("index.html");
    let dom = chromium(&["--dump-dom"], &index);
    for t in &model.tables {
        assert!(
            dom.contains(&format!("data-table=\"{}\"", t.name.name)),
            "{} not drawn in the ER diagram",
            t.name.name
        );
        assert!(
            dom.contains(&format!("href=\"tables/{}.html\"", t.name.name)),
            "{} not in the table list",
            t.name.name
        );
    }
    // The page script records the SVG's laid-out size: present and non-empty only when the
    // browser actually rendered the diagram.
    let size = dom
        .split("data-erd-size=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page script ran and measured the ER diagram");
    let (w, h) = size.split_once('x').expect("WxH");
    assert!(w.parse::<u32>().expect("width") > 100, "{size}");
    assert!(h.parse::<u32>().expect("height") > 100, "{size}");
    let n = model.tables.len();
    assert!(
        dom.contains(&format!("{n} of {n}")),
        "the search script did not run"
    );

    // Every table page loads and shows its columns.
    for t in &model.tables {
        let page = site.join(format!("tables/{}.html", t.name.name));
        let dom = chromium(&["--dump-dom"], &page);
        for c in &t.columns {
            assert!(
                dom.contains(&format!("<code>{}</code>", c.name)),
                "{}.{} missing from its page",
                t.name.name,
                c.name
            );
        }
    }

    let shot = artifacts_dir().join("todo-index.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &[
            "--window-size=1400,1000",
            &format!("--screenshot={}", shot.display()),
        ],
        &index,
    );
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "screenshot {} is {size} bytes",
        shot.display()
    );
}

/// Names and types that need sanitising or quoting in every target.
fn hostile_model() -> strata_model::Model {
    let json = r#"{
      "schemas": [{"name": "Sales Dept", "comment": null}],
      "extensions": [], "domains": [], "sequences": [], "functions": [], "views": [],
      "grants": [], "raw_sql": [], "access_patterns": [],
      "enums": [{"name": {"schema": "Sales Dept", "name": "order status"},
                 "values": ["in progress", "done \"ok\"", "it's"], "comment": "Status \"quoted\""}],
      "tables": [
        {"name": {"schema": "Sales Dept", "name": "order items"},
         "columns": [
           {"name": "1st id", "data_type": {"schema": null, "name": "bigint", "array_dims": 0},
            "nullable": false, "default": null, "identity": "always", "generated": null,
            "collation": null, "comment": "Has \"quotes\" and # hash; and ; semicolons",
            "origin": {"field": null, "semantic": null, "sensitive": false, "why": null}},
           {"name": "price", "data_type": {"schema": null, "name": "numeric(12,2)", "array_dims": 0},
            "nullable": false, "default": "0", "identity": null, "generated": null,
            "collation": null, "comment": null,
            "origin": {"field": null, "semantic": null, "sensitive": false, "why": null}},
           {"name": "at", "data_type": {"schema": null, "name": "timestamp with time zone", "array_dims": 1},
            "nullable": true, "default": null, "identity": null, "generated": null,
            "collation": null, "comment": "multi\nline\n\ncomment",
            "origin": {"field": null, "semantic": null, "sensitive": false, "why": null}},
           {"name": "status", "data_type": {"schema": "Sales Dept", "name": "order status", "array_dims": 0},
            "nullable": false, "default": null, "identity": null, "generated": null,
            "collation": null, "comment": null,
            "origin": {"field": null, "semantic": null, "sensitive": false, "why": null}},
           {"name": "parent", "data_type": {"schema": null, "name": "bigint", "array_dims": 0},
            "nullable": true, "default": null, "identity": null, "generated": null,
            "collation": null, "comment": null,
            "origin": {"field": null, "semantic": null, "sensitive": false, "why": null}}
         ],
         "primary_key": {"name": "order items_pkey", "columns": ["1st id"]},
         "foreign_keys": [
           {"name": "order items self", "columns": ["parent"],
            "ref_table": {"schema": "Sales Dept", "name": "order items"}, "ref_columns": ["1st id"],
            "on_delete": "set_null", "on_update": "no_action", "match_type": "simple",
            "deferrable": "not_deferrable", "relation": null, "why": null}
         ],
         "uniques": [], "checks": [
           {"name": "price positive", "expression": "price >= 0", "why": null}
         ],
         "exclusions": [],
         "indexes": [
           {"name": "idx weird", "unique": false, "method": "gin",
            "keys": [{"expr": {"expression": "to_tsvector('simple'::regconfig, price::text)"}, "opclass": null,
                      "collation": null, "descending": false, "nulls_first": null}],
            "include": [], "predicate": null, "nulls_not_distinct": false, "comment": null, "why": null}
         ],
         "triggers": [], "policies": [], "rls_enabled": false, "rls_forced": false,
         "partition_by": null, "partition_of": null, "unlogged": false,
         "comment": "Order lines \"quoted\" ''' triple",
         "origin": {"entity": null, "row_estimate": null, "distribution": null,
                    "soft_delete": null, "junction_of": null, "why": null}}
      ]
    }"#;
    strata_model::Model::from_json(json).expect("hostile model JSON")
}

#[test]
fn seed_sql_applies_to_hostile_names() {
    let counts = apply_seed(&hostile_model(), 30);
    assert_eq!(counts, vec![("order items".to_string(), 30)]);
}

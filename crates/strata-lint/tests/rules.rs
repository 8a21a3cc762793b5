//! Every rule over the model has its own examples in `tests/examples/<code>_<name>/`:
//! `ok.sql` must give no finding of the rule and `errors.sql` at least one. Each is applied to a
//! fresh database of a real PostgreSQL server and read back, as SQL input is, and the findings
//! are snapshots (`<code>_<name>__lint_ok`, `<code>_<name>__lint_errors`). Rules about access
//! patterns, which only a `.strata` design declares, have `ok.strata` and `errors.strata`
//! instead, designed as `strata check` designs them.

use std::path::PathBuf;

use strata_lint::{Check, Config, Input, Rule};

fn examples_dir(rule: &Rule) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/examples")
        .join(format!(
            "{}_{}",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        ))
}

fn model_of(sql: &str) -> strata_model::Model {
    let cluster = strata_pg::shared_cluster().expect("throwaway PostgreSQL cluster");
    let db = cluster.create_database().expect("create database");
    let mut client = cluster.connect(&db).expect("connect");
    strata_pg::apply_sql(&mut client, sql).expect("example SQL applies");
    let read = strata_pg::introspect(&mut client, &Default::default()).expect("introspect");
    drop(client);
    if let Ok(mut admin) = cluster.connect("postgres") {
        let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    read.model
}

fn render(findings: &[strata_lint::Finding]) -> String {
    if findings.is_empty() {
        return "no findings\n".into();
    }
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}: {}\n  help: {}\n",
                f.severity.as_str(),
                f.code,
                f.object,
                f.message,
                f.help
            )
        })
        .collect()
}

/// The model a `.strata` text designs; the example must design without errors.
fn designed(text: &str, name: &str) -> strata_model::Model {
    let mut sources = strata_diagnostics::SourceMap::new();
    sources.add(name, text);
    let (files, parse) = strata_lang::parse_sources(&sources);
    let design = strata_design::design(&files);
    let errors: Vec<String> = parse
        .iter()
        .chain(&design.diagnostics)
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{name} does not design: {errors:?}");
    design.model
}

fn lint_example(rule: &Rule, stem: &str) -> Option<Vec<strata_lint::Finding>> {
    let dir = examples_dir(rule);
    let model = if let Ok(sql) = std::fs::read_to_string(dir.join(format!("{stem}.sql"))) {
        model_of(&sql)
    } else {
        let file = format!("{stem}.strata");
        designed(&std::fs::read_to_string(dir.join(&file)).ok()?, &file)
    };
    let config = Config {
        select: vec![rule.code.to_string()],
        ..Config::default()
    };
    let input = Input {
        model: Some(&model),
        migration: None,
        health: None,
    };
    Some(strata_lint::lint(&input, &config, &[]).findings)
}

#[test]
fn model_rules_examples() {
    let filter = std::env::var("RULE").ok();
    let mut failures = Vec::new();
    for rule in strata_lint::registry() {
        if !matches!(rule.check, Check::Model(_)) {
            continue;
        }
        if filter.as_deref().is_some_and(|f| !rule.matches(f)) {
            continue;
        }
        let stem = format!(
            "{}_{}",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        );
        let (Some(ok), Some(errors)) = (lint_example(rule, "ok"), lint_example(rule, "errors"))
        else {
            failures.push(format!(
                "{stem}: tests/examples/{stem}/ok.sql and errors.sql (or ok.strata and errors.strata) are required"
            ));
            continue;
        };
        if !ok.is_empty() {
            failures.push(format!("{stem}: ok.sql has findings:\n{}", render(&ok)));
        }
        if errors.is_empty() {
            failures.push(format!("{stem}: errors.sql has no finding"));
        }
        if errors.iter().any(|f| f.code != rule.code) {
            failures.push(format!("{stem}: another rule reported"));
        }
        insta::assert_snapshot!(format!("{stem}__lint_ok"), render(&ok));
        insta::assert_snapshot!(format!("{stem}__lint_errors"), render(&errors));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The migration rules' examples: `before.sql` is the schema (with rows) the migration runs
/// on; `ok.sql` must give no finding of the rule and `errors.sql` at least one. The linter sees
/// only the example (a table created by `before.sql` is an existing table to it). Each example
/// is also run on a real server after `before.sql`, statement by statement as psql does:
/// `ok.sql` must run, and what the server did with `errors.sql` is part of its snapshot. Then
/// `errors.sql` is traced (see [`trace_disagreements`]): the lock and rewrite each finding
/// predicts must be what the server did.
#[test]
fn migration_rules_examples() {
    let filter = std::env::var("RULE").ok();
    let mut failures = Vec::new();
    for rule in strata_lint::registry() {
        if !matches!(rule.check, Check::Migration(_)) {
            continue;
        }
        if filter.as_deref().is_some_and(|f| !rule.matches(f)) {
            continue;
        }
        let dir = examples_dir(rule);
        let stem = format!(
            "{}_{}",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        );
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
        let (Some(ok), Some(errors)) = (read("ok.sql"), read("errors.sql")) else {
            failures.push(format!(
                "{stem}: tests/examples/{stem}/ok.sql and errors.sql are required"
            ));
            continue;
        };
        let before = read("before.sql").unwrap_or_default();
        let lint = |name: &str, text: &str| {
            let m = strata_lint::migration::Migration::read(&[strata_lint::migration::SqlFile {
                name: name.to_string(),
                text: text.to_string(),
                runner_transaction: false,
            }]);
            let config = Config {
                select: vec![rule.code.to_string()],
                ..Config::default()
            };
            let input = Input {
                model: None,
                migration: Some(&m),
                health: None,
            };
            strata_lint::lint(&input, &config, &[]).findings
        };
        let ok_findings = lint("ok.sql", &ok);
        let error_findings = lint("errors.sql", &errors);
        if !ok_findings.is_empty() {
            failures.push(format!(
                "{stem}: ok.sql has findings:\n{}",
                render_located(&ok_findings)
            ));
        }
        if error_findings.is_empty() {
            failures.push(format!("{stem}: errors.sql has no finding"));
        }
        if let Err(e) = run_on_server(&before, &ok) {
            failures.push(format!("{stem}: ok.sql does not run on the server: {e}"));
        }
        let server = match run_on_server(&before, &errors) {
            Ok(()) => "server: ran every statement\n".to_string(),
            Err(e) => format!("server: refused {e}\n"),
        };
        for problem in trace_disagreements(&before, &errors, &error_findings) {
            failures.push(format!("{stem}: {problem}"));
        }
        insta::assert_snapshot!(format!("{stem}__lint_ok"), render_located(&ok_findings));
        insta::assert_snapshot!(
            format!("{stem}__lint_errors"),
            render_located(&error_findings) + &server
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn render_located(findings: &[strata_lint::Finding]) -> String {
    if findings.is_empty() {
        return "no findings\n".into();
    }
    findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {} {}: {}\n  help: {}\n",
                f.file.as_deref().unwrap_or("?"),
                f.line.unwrap_or(0),
                f.severity.as_str(),
                f.code,
                f.object,
                f.message,
                f.help
            )
        })
        .collect()
}

/// Runs `before` and then `sql` on a fresh database, one statement at a time (outside a
/// transaction unless the file opens one). The error names the line of `sql` that failed.
fn run_on_server(before: &str, sql: &str) -> Result<(), String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let db = cluster.create_database().map_err(|e| e.to_string())?;
    let mut client = cluster.connect(&db).map_err(|e| e.to_string())?;
    let run = |client: &mut strata_pg::postgres::Client, text: &str| -> Result<(), String> {
        for s in strata_lint::suppress::statements(text) {
            let stmt = text.get(s.start..s.end).unwrap_or_default();
            client.batch_execute(stmt).map_err(|e| {
                let msg = e
                    .as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string());
                format!("line {}: {msg}", s.line)
            })?;
        }
        Ok(())
    };
    run(&mut client, before).map_err(|e| format!("before.sql {e}"))?;
    let result = run(&mut client, sql);
    drop(client);
    if let Ok(mut admin) = cluster.connect("postgres") {
        let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    result
}

/// The static prediction checked against a trace ([`strata_lint::trace`]): `errors.sql` runs
/// after `before.sql` as a plain file (each statement outside the file's own transaction
/// blocks in a transaction of its own), and a second connection reads `pg_locks` before it
/// commits. Every finding that names a lock must name the strongest lock the server held on
/// the finding's table at that statement, and every finding that says "rewrites" must see the
/// table get a new file.
fn trace_disagreements(before: &str, sql: &str, findings: &[strata_lint::Finding]) -> Vec<String> {
    if !findings
        .iter()
        .any(|f| strata_lint::trace::prediction(f).is_some())
    {
        return Vec::new();
    }
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let db = cluster.create_database().expect("database");
    let mut c = cluster.connect(&db).expect("connect");
    let mut observer = cluster.connect(&db).expect("observer");
    for s in strata_lint::suppress::statements(before) {
        c.batch_execute(before.get(s.start..s.end).unwrap_or_default())
            .expect("before.sql");
    }
    let m = strata_lint::migration::Migration::read(&[strata_lint::migration::SqlFile {
        name: "errors.sql".into(),
        text: sql.to_string(),
        runner_transaction: false,
    }]);
    let trace = strata_lint::trace::trace(&mut c, &mut observer, &m, findings, &Default::default())
        .expect("trace");
    drop(c);
    drop(observer);
    if let Ok(mut admin) = cluster.connect("postgres") {
        let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    // Every finding with a prediction sits at a statement of the trace.
    let mut problems = trace.disagreements();
    for f in findings {
        if strata_lint::trace::prediction(f).is_some()
            && !trace
                .steps
                .iter()
                .any(|s| Some(s.line) == f.line && s.status == strata_lint::trace::Status::Ran)
        {
            problems.push(format!(
                "line {:?}: {} is about a statement that did not run, nothing to trace",
                f.line, f.code
            ));
        }
    }
    problems
}

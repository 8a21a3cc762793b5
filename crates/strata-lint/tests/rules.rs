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

/// PostgreSQL's lock names, strongest first, with the rank `pg_locks` modes get below.
const LOCK_NAMES: [(&str, u8); 4] = [
    ("ACCESS EXCLUSIVE", 8),
    ("SHARE ROW EXCLUSIVE", 6),
    ("SHARE UPDATE EXCLUSIVE", 4),
    ("SHARE", 5),
];

fn mode_rank(mode: &str) -> u8 {
    match mode {
        "ShareUpdateExclusiveLock" => 4,
        "ShareLock" => 5,
        "ShareRowExclusiveLock" => 6,
        "ExclusiveLock" => 7,
        "AccessExclusiveLock" => 8,
        _ => 0,
    }
}

/// A finding with the lock (name, rank) and the rewrite it predicts.
type Claim<'a> = (&'a strata_lint::Finding, Option<(&'static str, u8)>, bool);

/// What the server did at one statement of a traced file.
struct Traced {
    line: u32,
    /// Strongest lock rank held on each relation (by oid) while the statement's transaction
    /// was open; `None` when the statement cannot run in a transaction block (not observed).
    locks: Option<std::collections::HashMap<u32, u8>>,
    /// Relations (by oid) that got a new file.
    rewritten: Vec<u32>,
}

/// The static prediction checked against a trace: `errors.sql` runs after `before.sql`, each
/// statement (outside the file's own transaction blocks) in a transaction of its own, and a
/// second connection reads `pg_locks` before it commits. Every finding that names a lock must
/// name the strongest lock the server held on the finding's table at that statement, and every
/// finding that says "rewrites" must see the table get a new file.
fn trace_disagreements(before: &str, sql: &str, findings: &[strata_lint::Finding]) -> Vec<String> {
    let claims: Vec<Claim> = findings
        .iter()
        .map(|f| {
            let lock = LOCK_NAMES
                .iter()
                .find(|(name, _)| {
                    f.message.contains(&format!("takes {name} "))
                        || f.message.contains(&format!("under {name}"))
                        || f.message.contains(&format!("for {name} "))
                })
                .copied();
            (f, lock, f.message.contains(" rewrites "))
        })
        .filter(|(_, lock, rewrites)| lock.is_some() || *rewrites)
        .collect();
    if claims.is_empty() {
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
    // The relation a finding is about: its table, or the table of the index it names.
    let relation = |observer: &mut strata_pg::postgres::Client, object: &str| -> Option<u32> {
        let parts: Vec<&str> = object.split('.').collect();
        let name = parts.iter().take(2).copied().collect::<Vec<_>>().join(".");
        observer
            .query_one(
                "SELECT coalesce(i.indrelid, c.oid)::oid FROM pg_class c
                 LEFT JOIN pg_index i ON i.indexrelid = c.oid
                 WHERE c.oid = to_regclass($1)",
                &[&name],
            )
            .ok()
            .map(|r| r.get(0))
    };
    let targets: Vec<Option<u32>> = claims
        .iter()
        .map(|(f, _, _)| relation(&mut observer, &f.object))
        .collect();
    let pid: i32 = c
        .query_one("SELECT pg_backend_pid()", &[])
        .expect("pid")
        .get(0);
    let files = |observer: &mut strata_pg::postgres::Client| -> std::collections::HashMap<u32, Option<u32>> {
        targets
            .iter()
            .flatten()
            .map(|&oid| {
                let file: Option<u32> = observer
                    .query_one("SELECT pg_relation_filenode($1::oid)::oid", &[&oid])
                    .map(|r| r.get(0))
                    .unwrap_or(None);
                (oid, file)
            })
            .collect()
    };
    let mut traced = Vec::new();
    let mut in_block = false;
    for st in strata_lint::suppress::statements(sql) {
        let text = sql.get(st.start..st.end).unwrap_or_default();
        let first = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let control = matches!(
            first.as_str(),
            "BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "END"
        );
        let outside_only = strata_sql::split::forbids_transaction(text).is_some();
        let files_before = files(&mut observer);
        let own = !in_block && !control && !outside_only;
        if own {
            c.batch_execute("BEGIN").expect("begin");
        }
        if c.batch_execute(text).is_err() {
            if own || in_block {
                let _ = c.batch_execute("ROLLBACK");
            }
            in_block = false;
            continue;
        }
        let locks = (!outside_only).then(|| {
            observer
                .query(
                    "SELECT relation::oid, mode::text FROM pg_locks
                     WHERE pid = $1 AND locktype = 'relation' AND granted AND relation IS NOT NULL",
                    &[&pid],
                )
                .expect("pg_locks")
                .iter()
                .fold(std::collections::HashMap::new(), |mut m, r| {
                    let rank = mode_rank(&r.get::<_, String>(1));
                    let e = m.entry(r.get::<_, u32>(0)).or_insert(0);
                    *e = (*e).max(rank);
                    m
                })
        });
        if own {
            c.batch_execute("COMMIT").expect("commit");
        }
        match first.as_str() {
            "BEGIN" | "START" => in_block = true,
            "COMMIT" | "ROLLBACK" | "END" => in_block = false,
            _ => {}
        }
        let files_after = files(&mut observer);
        traced.push(Traced {
            line: st.line,
            locks,
            rewritten: files_after
                .iter()
                .filter(|(oid, f)| files_before.get(*oid) != Some(*f))
                .map(|(oid, _)| *oid)
                .collect(),
        });
    }
    drop(c);
    if let Ok(mut admin) = cluster.connect("postgres") {
        let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    let mut problems = Vec::new();
    for ((f, lock, rewrites), target) in claims.iter().zip(&targets) {
        let line = f.line.unwrap_or(0);
        let Some(t) = traced.iter().find(|t| t.line == line) else {
            problems.push(format!(
                "line {line}: the statement did not run, nothing to trace"
            ));
            continue;
        };
        let Some(oid) = target else {
            problems.push(format!(
                "line {line}: {} is not a relation before the migration",
                f.object
            ));
            continue;
        };
        if let (Some((name, rank)), Some(locks)) = (lock, &t.locks) {
            let held = locks.get(oid).copied().unwrap_or(0);
            if held != *rank {
                problems.push(format!(
                    "line {line}: {} says {name}; the server held lock rank {held} (claimed {rank})",
                    f.code
                ));
            }
        }
        if *rewrites && !t.rewritten.contains(oid) {
            problems.push(format!(
                "line {line}: {} says the table is rewritten; its file did not change",
                f.code
            ));
        }
    }
    problems
}

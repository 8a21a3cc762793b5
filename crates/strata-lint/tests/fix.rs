//! `strata lint --fix` on every fixable rule's bad example (`tests/examples/<code>_<name>/
//! errors.sql`), read both as a plain `.sql` file and as a migration the runner wraps in one
//! transaction: the fixed text (a snapshot) gives no finding of the rule, and run on a real
//! server after `before.sql` it leaves the same schema, read back from the catalog, as the
//! original does.

use std::path::PathBuf;

use strata_lint::migration::{Migration, SqlFile};
use strata_lint::{Config, Input};

fn example(stem: &str, file: &str) -> Option<String> {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/examples")
            .join(stem)
            .join(file),
    )
    .ok()
}

/// Runs `before`, then `sql` (in one transaction when `runner`, else statement by statement
/// as written), on a fresh database and reads the schema back.
fn schema_after(before: &str, sql: &str, runner: bool) -> Result<strata_model::Model, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let db = cluster.create_database().map_err(|e| e.to_string())?;
    let mut client = cluster.connect(&db).map_err(|e| e.to_string())?;
    let mut run = |text: &str, whole: bool| -> Result<(), String> {
        let err = |e: strata_pg::postgres::Error| {
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_string())
        };
        if whole {
            return strata_pg::apply_sql(&mut client, text).map_err(|e| e.to_string());
        }
        for s in strata_lint::suppress::statements(text) {
            let stmt = text.get(s.start..s.end).unwrap_or_default();
            client
                .batch_execute(stmt)
                .map_err(|e| format!("line {}: {}", s.line, err(e)))?;
        }
        Ok(())
    };
    run(before, false)?;
    run(sql, runner)?;
    let read = strata_pg::introspect(&mut client, &Default::default()).map_err(|e| e.to_string());
    drop(client);
    if let Ok(mut admin) = cluster.connect("postgres") {
        let _ = admin.batch_execute(&format!("DROP DATABASE \"{db}\""));
    }
    Ok(read?.model)
}

fn findings_of(code: &str, text: &str, runner: bool) -> Vec<String> {
    let m = Migration::read(&[SqlFile {
        name: "errors.sql".into(),
        text: text.into(),
        runner_transaction: runner,
    }]);
    let config = Config {
        select: vec![code.to_string()],
        ..Config::default()
    };
    strata_lint::lint(
        &Input {
            model: None,
            migration: Some(&m),
            health: None,
        },
        &config,
        &[],
    )
    .findings
    .iter()
    .map(|f| format!("line {}: {}", f.line.unwrap_or(0), f.message))
    .collect()
}

/// Fixes `text`, checks the result and returns it (with what was left) for the snapshot.
fn check(code: &str, before: &str, text: &str, runner: bool) -> Result<String, String> {
    let out = strata_lint::fix::fix(
        &[SqlFile {
            name: "errors.sql".into(),
            text: text.into(),
            runner_transaction: runner,
        }],
        &Config::default(),
        &[],
    );
    let Some(fixed) = out.files.first() else {
        return Err(format!("nothing fixed; left: {:?}", out.left));
    };
    if !fixed.fixes.iter().any(|(c, _)| *c == code) {
        return Err(format!("no {code} fix made: {:?}", fixed.fixes));
    }
    let still_runner = runner && !strata_sql::split::has_no_transaction_directive(&fixed.after);
    let left = findings_of(code, &fixed.after, still_runner);
    if !left.is_empty() {
        return Err(format!(
            "the fixed text still has {code} findings: {left:?}\n{}",
            fixed.after
        ));
    }
    // The original as written (statement by statement: in the runner's transaction a
    // CONCURRENTLY statement would be refused, and the end schema is the same).
    let original = schema_after(before, text, false).map_err(|e| format!("original: {e}"))?;
    let after = schema_after(before, &fixed.after, still_runner)
        .map_err(|e| format!("fixed text does not run: {e}\n{}", fixed.after))?;
    if original != after {
        return Err(format!(
            "the fixed text leaves another schema:\n{}\n--- original: {original:#?}\n--- fixed: {after:#?}",
            fixed.after
        ));
    }
    let fixes: Vec<String> = fixed
        .fixes
        .iter()
        .map(|(c, l)| format!("{c} at line {l}"))
        .collect();
    Ok(format!(
        "-- fixes: {}\n-- left: {:?}\n{}",
        fixes.join(", "),
        out.left,
        fixed.after
    ))
}

#[test]
fn every_fixable_rule_fixes_its_bad_example_to_the_same_schema() {
    let mut failures = Vec::new();
    for rule in strata_lint::registry().iter().filter(|r| r.fixable) {
        let stem = format!(
            "{}_{}",
            rule.code.to_lowercase(),
            rule.name.replace('-', "_")
        );
        let before = example(&stem, "before.sql").unwrap_or_default();
        let Some(errors) = example(&stem, "errors.sql") else {
            failures.push(format!("{stem}: no errors.sql"));
            continue;
        };
        let mut cases = vec![("plain", errors.clone(), false)];
        // A migration the runner wraps in its transaction cannot hold BEGIN/COMMIT.
        if !errors.lines().any(|l| {
            let w = l.trim_start().to_ascii_uppercase();
            w.starts_with("BEGIN") || w.starts_with("COMMIT")
        }) {
            cases.push(("migration", errors.clone(), true));
        } else {
            // The same statements without the file's own block, as a runner migration.
            let body: String = errors
                .lines()
                .filter(|l| {
                    let w = l.trim_start().to_ascii_uppercase();
                    !(w.starts_with("BEGIN") || w.starts_with("COMMIT"))
                })
                .map(|l| format!("{l}\n"))
                .collect();
            cases.push(("migration", body, true));
        }
        for (label, text, runner) in cases {
            // A statement in the file's own BEGIN ... COMMIT is not moved out of it: M002's
            // plain example is left, and says so.
            if rule.code == "M002" && !runner {
                let out = strata_lint::fix::fix(
                    &[SqlFile {
                        name: "errors.sql".into(),
                        text: text.clone(),
                        runner_transaction: false,
                    }],
                    &Config::default(),
                    &[],
                );
                if !out.files.is_empty() || !out.left.iter().any(|l| l.code == "M002") {
                    failures.push(format!("{stem} ({label}): the file's own block was changed or not reported: {out:?}"));
                }
                continue;
            }
            match check(rule.code, &before, &text, runner) {
                Ok(snapshot) => insta::assert_snapshot!(format!("{stem}__fixed_{label}"), snapshot),
                Err(e) => failures.push(format!("{stem} ({label}): {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

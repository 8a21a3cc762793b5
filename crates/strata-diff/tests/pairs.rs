//! The pair corpus: `tests/pairs/NN_name/{from.sql,to.sql}` (optional `renames`: lines
//! `table NEW OLD` or `column TABLE NEW OLD`, the `renamed_from` a design would carry;
//! optional `data.sql`, rows loaded before the plan runs; optional `min_version`, the first
//! PostgreSQL major that has the pair's feature).
//!
//! For each pair, on a real server: apply `from` (and `data.sql`, rows the plan must carry),
//! run the planned script with `psql`, and compare with `to` applied to a fresh database —
//! introspected models, and `pg_dump --schema-only` identical but for the order of columns
//! (PostgreSQL cannot reorder them; added columns come last); the next plan is empty; the
//! down script brings back `from`. The up script is snapshot-tested on PostgreSQL 15; the
//! version matrix (`STRATA_PG_VERSION`) runs the server checks on 14 to 18.

use std::path::{Path, PathBuf};
use std::process::Command;

use strata_diff::{PlanOptions, plan};
use strata_model::{Model, QualifiedName};

/// The server version the up/down snapshots were taken on (the suite's default, Debian's).
const SNAPSHOT_MAJOR: u32 = 15;

fn pairs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs")
}

/// Both sides are whole schemas: what `to` lacks goes, grants included (`--prune`).
fn options() -> PlanOptions {
    PlanOptions {
        prune: true,
        ..PlanOptions::default()
    }
}

fn introspect(db: &str) -> Model {
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let mut client = cluster.connect(db).expect("connect");
    strata_pg::introspect(&mut client, &Default::default())
        .expect("introspect")
        .model
}

fn fresh_with(sql: &str) -> Result<String, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let db = cluster.create_database().map_err(|e| e.to_string())?;
    let mut client = cluster.connect(&db).map_err(|e| e.to_string())?;
    strata_pg::apply_sql(&mut client, sql).map_err(|e| e.to_string())?;
    Ok(db)
}

/// Runs a script with psql as a user would.
fn psql(db: &str, script: &str) -> Result<(), String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("plan.sql");
    std::fs::write(&file, script).map_err(|e| e.to_string())?;
    let out = Command::new(
        cluster
            .client_program("psql")
            .ok_or("no psql for the cluster")?,
    )
    .arg("-X")
    .arg("-q")
    .arg("-v")
    .arg("ON_ERROR_STOP=1")
    .arg("-d")
    .arg(cluster.url(db))
    .arg("-f")
    .arg(&file)
    .output()
    .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// What must match after migrating: the physical model, columns compared as a set (a
/// column added by a migration comes last; PostgreSQL cannot reorder columns).
fn normalize(model: &Model) -> Model {
    let mut m = model.physical();
    for t in &mut m.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    m.canonicalize();
    m
}

fn annotate(model: &mut Model, renames: &str) {
    for line in renames.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let qn = |s: &str| {
            let (schema, name) = s.split_once('.').unwrap_or(("public", s));
            QualifiedName::new(schema, name)
        };
        match words.as_slice() {
            ["table", new, old] => {
                if let Some(t) = model.table_mut(&qn(new)) {
                    t.origin.renamed_from = Some(old.to_string());
                }
            }
            ["column", table, new, old] => {
                if let Some(c) = model.table_mut(&qn(table)).and_then(|t| t.column_mut(new)) {
                    c.origin.renamed_from = Some(old.to_string());
                }
            }
            _ => {}
        }
    }
}

fn diff_text(a: &Model, b: &Model) -> String {
    let a = a.to_json();
    let b = b.to_json();
    let mut out = String::new();
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            out.push_str(&format!("line {i}: got {x} want {y}\n"));
            if out.len() > 1500 {
                break;
            }
        }
    }
    if out.is_empty() {
        out = format!("lengths {} vs {}", a.len(), b.len());
    }
    out
}

/// `pg_dump --schema-only --no-owner` of `db` with the columns of each `CREATE TABLE` in
/// name order (a column added by a migration comes last, and PostgreSQL cannot reorder
/// columns: the one difference from a database built directly that is accepted), or `None`
/// when no `pg_dump` can read the server (the model comparison stands alone then).
fn dump(db: &str) -> Result<Option<String>, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let Some(pg_dump) = cluster.pg_dump() else {
        return Ok(None);
    };
    let out = Command::new(pg_dump)
        .args(["--schema-only", "--no-owner", "-d", &cluster.url(db)])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines: Vec<String> = Vec::new();
    let mut columns: Option<Vec<String>> = None;
    for line in text.lines() {
        // The random key of `\restrict` differs per run.
        if line.starts_with("\\restrict ") || line.starts_with("\\unrestrict ") {
            continue;
        }
        match &mut columns {
            Some(cols) if line.starts_with(')') => {
                cols.sort();
                lines.append(cols);
                lines.push(line.to_string());
                columns = None;
            }
            Some(cols) => cols.push(line.trim_end_matches(',').to_string()),
            None => {
                lines.push(line.to_string());
                if line.starts_with("CREATE ") && line.contains(" TABLE ") && line.ends_with(" (") {
                    columns = Some(Vec::new());
                }
            }
        }
    }
    Ok(Some(lines.join("\n")))
}

/// The first lines where two dumps differ.
fn dump_difference(got: &str, want: &str) -> String {
    let mut out = String::new();
    for (i, (x, y)) in got.lines().zip(want.lines()).enumerate() {
        if x != y {
            out.push_str(&format!("line {i}: got {x:?} want {y:?}\n"));
            if out.len() > 1500 {
                break;
            }
        }
    }
    if out.is_empty() {
        out = format!("{} lines vs {}", got.lines().count(), want.lines().count());
    }
    out
}

fn run_pair(dir: &Path) -> Result<String, String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let from_sql = read("from.sql");
    let to_sql = read("to.sql");
    let from_db = fresh_with(&from_sql).map_err(|e| format!("from.sql: {e}"))?;
    let to_db = fresh_with(&to_sql).map_err(|e| format!("to.sql: {e}"))?;
    let from = introspect(&from_db);
    let mut to = introspect(&to_db);
    annotate(&mut to, &read("renames"));
    let plan = plan(&from, &to, &options()).map_err(|e| format!("plan: {e}"))?;
    if plan.is_empty() {
        return Err("the plan is empty".into());
    }
    let data = read("data.sql");
    if !data.is_empty() {
        psql(&from_db, &data).map_err(|e| format!("data.sql: {e}"))?;
    }
    let up = plan.up_sql();
    psql(&from_db, &up).map_err(|e| format!("up script: {e}\n{up}"))?;
    let after = introspect(&from_db);
    if normalize(&after) != normalize(&to) {
        return Err(format!(
            "after the plan the database differs from to.sql:\n{}\n{up}",
            diff_text(&normalize(&after), &normalize(&to))
        ));
    }
    // The database as pg_dump sees it, beyond what the model holds.
    if let (Some(got), Some(want)) = (dump(&from_db)?, dump(&to_db)?)
        && got != want
    {
        return Err(format!(
            "after the plan, pg_dump differs from to.sql's:\n{}\n{up}",
            dump_difference(&got, &want)
        ));
    }
    let again =
        strata_diff::plan(&after, &to, &options()).map_err(|e| format!("second plan: {e}"))?;
    if !again.is_empty() {
        return Err(format!("the next plan is not empty:\n{}", again.up_sql()));
    }
    let down = plan.down_sql();
    psql(&from_db, &down).map_err(|e| format!("down script: {e}\n{down}"))?;
    let back = introspect(&from_db);
    if normalize(&back) != normalize(&from) {
        return Err(format!(
            "after the down script the database differs from from.sql:\n{}\n{down}",
            diff_text(&normalize(&back), &normalize(&from))
        ));
    }
    Ok(format!("-- up\n{up}\n-- down\n{down}"))
}

#[test]
fn pairs_apply_converge_and_roll_back() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(pairs_dir())
        .expect("pairs folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let only = std::env::var("PAIR").ok();
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let snapshot_version = cluster.server_version_num() / 10000 == SNAPSHOT_MAJOR;
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        // A pair of a feature newer servers have (`min_version`: the first major with it).
        let min_major = std::fs::read_to_string(dir.join("min_version"))
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok());
        if min_major.is_some_and(|m| cluster.server_version_num() / 10000 < m) {
            continue;
        }
        count += 1;
        match run_pair(dir) {
            // The snapshots are PostgreSQL 15's: other versions print some of the server's
            // text (view definitions) differently; there the checks above on the server stand.
            Ok(script) if !snapshot_version => {
                let _ = script;
            }
            Ok(script) => {
                insta::with_settings!({ snapshot_suffix => name.clone(), prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!("pair", script);
                });
            }
            Err(e) => failures.push(format!("== {name}: {e}")),
        }
    }
    assert!(only.is_some() || count >= 150, "only {count} pairs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

//! Every step's lock claim is true of the transaction it runs in, on a real server.
//!
//! Each pair of `tests/pairs/` (with its data) is planned, then its up and down steps run
//! the way `strata apply` runs them: runs of transactional steps in one transaction, the
//! others alone. The relation locks the executing session holds on objects that existed
//! before the plan (tables, views, sequences) are read twice: by the session itself after each transactional step
//! (locks are held until COMMIT, so that shows everything its transaction holds), and by a
//! second connection polling `pg_locks` all the time, which sees inside long statements run
//! outside a transaction (validations, concurrent index builds; pair 50 makes them slow on
//! purpose). No lock seen may be stronger than the claim of the step running at that moment.
//!
//! The same runs check the rewrite claims: a step that gives an existing table or
//! materialized view a new file (`pg_relation_filenode`: every row rewritten) must say so
//! (`rewrites_table`), so "changed without a rewrite" (storage parameters, a widened
//! `varchar`, a validated constraint) is proved, not assumed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use strata_diff::{LockLevel, PlanOptions, Step, plan};
use strata_pg::postgres::Client;

/// A pair with a `min_version` file (the first PostgreSQL major with the pair's feature) is
/// skipped on older servers, as in `pairs.rs`.
fn needs_newer_server(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("min_version")) else {
        return false;
    };
    let min: u32 = text
        .trim()
        .parse()
        .expect("min_version holds a PostgreSQL major version");
    strata_pg::shared_cluster()
        .expect("cluster")
        .server_version_num()
        / 10000
        < min
}

fn pairs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pairs")
}

/// Strength of a `pg_locks` mode on the scale of the claims. The modes every query takes
/// (ACCESS SHARE, ROW SHARE, ROW EXCLUSIVE) block no reader or writer: `none`.
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

fn claim_rank(lock: LockLevel) -> u8 {
    match lock {
        LockLevel::None => 0,
        LockLevel::ShareUpdateExclusive => 4,
        LockLevel::Share => 5,
        LockLevel::ShareRowExclusive => 6,
        LockLevel::AccessExclusive => 8,
    }
}

const HELD: &str = "SELECT c.oid::oid, c.relname::text, l.mode::text
      FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
     WHERE l.pid = $1 AND l.locktype = 'relation' AND c.oid = ANY($2)";

/// The file of each existing table and materialized view: a rewrite gives it a new one.
const FILES: &str = "SELECT c.oid::oid, c.relname::text, pg_relation_filenode(c.oid)::oid
      FROM pg_class c WHERE c.oid = ANY($1) AND c.relkind IN ('r', 'm')";

fn files(
    client: &mut Client,
    oids: &[u32],
) -> Result<Vec<(u32, String, u32)>, strata_pg::postgres::Error> {
    Ok(client
        .query(FILES, &[&oids])?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// User relations that exist now: tables, views, sequences. Claims are table locks: an
/// index's own lock is left out (`DROP INDEX CONCURRENTLY` ends with a momentary ACCESS
/// EXCLUSIVE on the index it drops, which no query uses by then).
fn existing(client: &mut Client) -> Vec<u32> {
    client
        .query(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
                AND c.relkind NOT IN ('i', 'I')",
            &[],
        )
        .expect("relations")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

struct Seen {
    /// When the query was sent and when its answer came: the snapshot is in between.
    from: Instant,
    to: Instant,
    relation: String,
    mode: String,
}

/// Runs `steps` like `strata apply` while watching the locks; the violations found.
fn run_observed(db: &str, steps: &[Step], timeout: Option<&str>) -> Result<Vec<String>, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let mut exec = cluster.connect(db).map_err(|e| e.to_string())?;
    let mut watch = cluster.connect(db).map_err(|e| e.to_string())?;
    let pid: i32 = exec
        .query_one("SELECT pg_backend_pid()", &[])
        .map_err(|e| e.to_string())?
        .get(0);
    let oids = existing(&mut exec);
    let mut before = files(&mut exec, &oids).map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let watcher = {
        let (stop, seen, oids) = (stop.clone(), seen.clone(), oids.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let from = Instant::now();
                let Ok(rows) = watch.query(HELD, &[&pid, &oids]) else {
                    return;
                };
                let to = Instant::now();
                let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                for r in rows {
                    seen.push(Seen {
                        from,
                        to,
                        relation: r.get(1),
                        mode: r.get(2),
                    });
                }
            }
        })
    };
    // Step i runs from starts[i] until starts[i + 1] (its COMMIT included).
    let mut starts: Vec<Instant> = Vec::new();
    let mut violations = Vec::new();
    let mut failure = None;
    let mut in_tx = false;
    for (i, step) in steps.iter().enumerate() {
        let mut run = || -> Result<(), strata_pg::postgres::Error> {
            if step.transactional != in_tx {
                exec.batch_execute(if in_tx { "COMMIT" } else { "BEGIN" })?;
                in_tx = step.transactional;
            }
            starts.push(Instant::now());
            let limit = timeout.filter(|_| step.lock != LockLevel::None);
            if let Some(t) = limit {
                let set = if in_tx { "SET LOCAL" } else { "SET" };
                exec.batch_execute(&format!("{set} lock_timeout = '{t}'"))?;
            }
            exec.batch_execute(&step.sql)?;
            if in_tx {
                for r in exec.query(HELD, &[&pid, &oids])? {
                    let (relation, mode): (String, String) = (r.get(1), r.get(2));
                    if mode_rank(&mode) > claim_rank(step.lock) {
                        violations.push(format!(
                            "step {} ({}) claims {} but its transaction holds {mode} on {relation}",
                            i + 1,
                            step.description,
                            step.lock.sql()
                        ));
                    }
                }
            } else if limit.is_some() {
                exec.batch_execute("RESET lock_timeout")?;
            }
            // A relation dropped (and perhaps recreated) is gone from the list: its step
            // claims that itself.
            let after = files(&mut exec, &oids)?;
            for (oid, relation, file) in &after {
                let rewritten = before.iter().any(|(o, _, f)| o == oid && f != file);
                if rewritten && !step.hazards.contains(&strata_diff::Hazard::RewritesTable) {
                    violations.push(format!(
                        "step {} ({}) rewrites {relation} but does not claim rewrites_table",
                        i + 1,
                        step.description
                    ));
                }
            }
            before = after;
            Ok(())
        };
        if let Err(e) = run() {
            let msg = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string());
            failure = Some(format!("step {} ({}): {msg}", i + 1, step.description));
            break;
        }
    }
    if failure.is_none()
        && in_tx
        && let Err(e) = exec.batch_execute("COMMIT")
    {
        failure = Some(format!("COMMIT: {e}"));
    }
    let end = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    if let Some(f) = failure {
        return Err(f);
    }
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    for s in seen.iter() {
        // Every step that may have been running when the snapshot was taken.
        let running: Vec<usize> = (0..steps.len())
            .filter(|&i| {
                let begin = starts[i];
                let finish = starts.get(i + 1).copied().unwrap_or(end);
                begin <= s.to && s.from <= finish
            })
            .collect();
        let covered = running
            .iter()
            .any(|&i| claim_rank(steps[i].lock) >= mode_rank(&s.mode));
        if !running.is_empty() && !covered {
            let names: Vec<String> = running
                .iter()
                .map(|&i| {
                    format!(
                        "step {} ({}, claims {})",
                        i + 1,
                        steps[i].description,
                        steps[i].lock.sql()
                    )
                })
                .collect();
            violations.push(format!(
                "{} on {} seen from another session during {}",
                s.mode,
                s.relation,
                names.join(" / ")
            ));
        }
    }
    violations.sort();
    violations.dedup();
    Ok(violations)
}

fn fresh_with(sql: &str) -> Result<String, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let db = cluster.create_database().map_err(|e| e.to_string())?;
    let mut client = cluster.connect(&db).map_err(|e| e.to_string())?;
    strata_pg::apply_sql(&mut client, sql).map_err(|e| e.to_string())?;
    Ok(db)
}

fn introspect(db: &str) -> Result<strata_model::Model, String> {
    let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
    let mut client = cluster.connect(db).map_err(|e| e.to_string())?;
    strata_pg::introspect(&mut client, &Default::default())
        .map(|i| i.model)
        .map_err(|e| e.to_string())
}

/// The `renamed_from` a design would carry (`renames`: `table NEW OLD`, `column TABLE NEW OLD`).
fn annotate(model: &mut strata_model::Model, renames: &str) {
    for line in renames.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let qn = |s: &str| {
            let (schema, name) = s.split_once('.').unwrap_or(("public", s));
            strata_model::QualifiedName::new(schema, name)
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

fn check_pair(dir: &Path) -> Result<Vec<String>, String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    let from_db = fresh_with(&read("from.sql"))?;
    let to_db = fresh_with(&read("to.sql"))?;
    let from = introspect(&from_db)?;
    let mut to = introspect(&to_db)?;
    annotate(&mut to, &read("renames"));
    let opts = PlanOptions {
        prune: true,
        ..PlanOptions::default()
    };
    let plan = plan(&from, &to, &opts).map_err(|e| e.to_string())?;
    let data = read("data.sql");
    if !data.is_empty() {
        let cluster = strata_pg::shared_cluster().map_err(|e| e.to_string())?;
        let mut client = cluster.connect(&from_db).map_err(|e| e.to_string())?;
        client.batch_execute(&data).map_err(|e| e.to_string())?;
    }
    let timeout = plan.lock_timeout.as_deref();
    let mut out = run_observed(&from_db, &plan.steps, timeout).map_err(|e| format!("up: {e}"))?;
    for v in run_observed(&from_db, &plan.down, timeout).map_err(|e| format!("down: {e}"))? {
        out.push(format!("down: {v}"));
    }
    Ok(out)
}

#[test]
fn every_lock_and_rewrite_claim_holds_for_its_transaction() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(pairs_dir())
        .expect("pairs folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let only = std::env::var("PAIR").ok();
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        if needs_newer_server(dir) {
            continue;
        }
        match check_pair(dir) {
            Ok(v) if v.is_empty() => {}
            Ok(v) => failures.push(format!("== {name}:\n{}", v.join("\n"))),
            Err(e) => failures.push(format!("== {name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Attaching a table with rows as a partition: the rows are proved by a check validated in a
/// transaction of its own, so the attach itself does not scan them under ACCESS EXCLUSIVE —
/// PostgreSQL says so (`... is implied by existing constraints`).
#[test]
fn attach_partition_is_proved_by_a_validated_check() {
    let dir = pairs_dir().join("50_online_recipes_with_data");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("pair file");
    let from_db = fresh_with(&read("from.sql")).expect("from");
    let to_db = fresh_with(&read("to.sql")).expect("to");
    let from = introspect(&from_db).expect("from model");
    let to = introspect(&to_db).expect("to model");
    let plan = plan(&from, &to, &PlanOptions::default()).expect("plan");
    let cluster = strata_pg::shared_cluster().expect("cluster");
    let notices: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = notices.clone();
    let mut config: strata_pg::postgres::Config = cluster.url(&from_db).parse().expect("url");
    config.notice_callback(move |n| {
        sink.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(n.message().to_string())
    });
    let mut client = config.connect(strata_pg::postgres::NoTls).expect("connect");
    client.batch_execute(&read("data.sql")).expect("data");
    let attach = plan
        .steps
        .iter()
        .position(|s| s.sql.contains("ATTACH PARTITION public.m_2025"))
        .expect("an attach step");
    assert!(
        !plan.steps[attach]
            .hazards
            .contains(&strata_diff::Hazard::LongLock),
        "{:?}",
        plan.steps[attach]
    );
    for (i, step) in plan.steps.iter().enumerate() {
        if i == attach {
            client
                .batch_execute("SET client_min_messages = debug1")
                .expect("debug");
        }
        client.batch_execute(&step.sql).expect(&step.description);
        if i == attach {
            client
                .batch_execute("RESET client_min_messages")
                .expect("reset");
        }
    }
    let notices = notices.lock().unwrap_or_else(|e| e.into_inner());
    assert!(
        notices
            .iter()
            .any(|n| n.contains("m_2025") && n.contains("is implied by existing constraints")),
        "{notices:?}"
    );
}

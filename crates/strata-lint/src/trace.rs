//! What a migration really does on a server, statement by statement, next to what the static
//! migration rules predicted.
//!
//! The statements run on a database that already holds the schema before the migration, the way
//! they run in production: a plain `.sql` file statement by statement (each outside a
//! transaction block in a transaction of its own, so its locks can be read before it commits;
//! PostgreSQL releases them at that commit either way), the file's own `BEGIN` ... `COMMIT`
//! blocks as written, and a `strata migrate` migration without `-- strata:no-transaction` in
//! one transaction from its first statement to its last, as the runner runs it. A second
//! connection reads `pg_locks` for the first one's backend while each statement runs (sampled)
//! and once more before its transaction commits (exact), and `pg_relation_filenode` before and
//! after each statement tells which tables were rewritten into a new file. The runner's
//! `lock_timeout` is read before each statement.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use strata_pg::postgres::Client;

use crate::Finding;
use crate::migration::Migration;

/// A connection of the trace failed (not a statement of the migration: those are part of the
/// trace).
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("tracing connection failed while {doing}: {source}")]
    Connection {
        doing: &'static str,
        #[source]
        source: strata_pg::postgres::Error,
    },
}

fn conn(doing: &'static str) -> impl FnOnce(strata_pg::postgres::Error) -> TraceError {
    move |source| TraceError::Connection { doing, source }
}

/// The relation-level lock modes, weakest first, as `pg_locks` and as SQL name them.
const MODES: [(&str, &str); 8] = [
    ("AccessShareLock", "ACCESS SHARE"),
    ("RowShareLock", "ROW SHARE"),
    ("RowExclusiveLock", "ROW EXCLUSIVE"),
    ("ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE"),
    ("ShareLock", "SHARE"),
    ("ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE"),
    ("ExclusiveLock", "EXCLUSIVE"),
    ("AccessExclusiveLock", "ACCESS EXCLUSIVE"),
];

/// 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE); 0 for anything else.
fn rank_of_mode(pg_locks_mode: &str) -> u8 {
    MODES
        .iter()
        .position(|(m, _)| *m == pg_locks_mode)
        .map_or(0, |p| u8::try_from(p + 1).unwrap_or(0))
}

/// The SQL name of a rank from [`rank_of_mode`].
pub fn lock_sql_name(rank: u8) -> &'static str {
    usize::from(rank)
        .checked_sub(1)
        .and_then(|i| MODES.get(i))
        .map_or("no lock", |(_, n)| n)
}

/// The rank of a lock as SQL names it (`ACCESS EXCLUSIVE`).
pub fn rank_of_sql_name(name: &str) -> Option<u8> {
    MODES
        .iter()
        .position(|(_, n)| *n == name)
        .and_then(|p| u8::try_from(p + 1).ok())
}

/// A lock the traced statement's transaction held on a table, index or sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldLock {
    /// `schema.name`.
    pub relation: String,
    /// As SQL names it: `ACCESS EXCLUSIVE`.
    pub mode: String,
    /// Whether this statement took it (or strengthened it); otherwise an earlier statement of
    /// the same transaction holds it.
    pub new: bool,
    /// Whether the statement created the relation (a new index or table: its lock stops no
    /// one).
    pub created: bool,
    /// Whether the relation is an index (its table's lock is what stops others).
    pub index: bool,
}

/// How the statement ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transaction {
    /// In a transaction of its own (a statement of a plain file, outside any block).
    Own,
    /// In a `BEGIN` ... `COMMIT` block of the file.
    Block,
    /// In the migration runner's transaction around the whole file.
    Runner,
    /// Outside any transaction (it cannot run in one: `CONCURRENTLY`, `VACUUM`, ...), or
    /// transaction control itself. Its locks are only sampled while it runs.
    None,
}

/// Whether the statement ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ran,
    Failed,
    /// An earlier statement failed and the runner stops there.
    NotRun,
}

/// What a static finding says the statement does: the lock it names and whether it says the
/// table is rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prediction {
    pub code: &'static str,
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<&'static str>,
    pub rewrite: bool,
    /// Whether it says the statement reads every row of the table.
    pub scan: bool,
}

/// One statement of the trace.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub file: String,
    pub line: u32,
    /// The statement on one line, shortened.
    pub statement: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub transaction: Transaction,
    /// How long the statement ran.
    pub elapsed_ms: f64,
    /// How long its locks were held: until its transaction ended (the statement's own time
    /// outside a transaction).
    pub held_ms: f64,
    /// The `lock_timeout` in force when it started; `None` when there was none (`0`).
    pub lock_timeout: Option<String>,
    /// Locks held on tables, indexes and sequences of the database when it finished (before
    /// its transaction committed), strongest first; outside a transaction, what the samples
    /// caught while it ran.
    pub locks: Vec<HeldLock>,
    /// Tables (and materialized views) that got a new file: rewritten.
    pub rewritten: Vec<String>,
    /// Tables the statement read from end to end (sequential scans, which validating a
    /// constraint and building an index are, counted in `pg_stat_xact_user_tables`); only for
    /// statements run in a transaction.
    pub scanned: Vec<String>,
    /// What the static rules predicted for this statement.
    pub predicted: Vec<Prediction>,
    /// Where a prediction and the server differ.
    pub disagreements: Vec<String>,
}

impl Step {
    /// The strongest lock this statement itself took on a relation that existed before it.
    pub fn strongest_new_lock(&self) -> Option<&HeldLock> {
        self.locks.iter().find(|l| l.new && !l.created)
    }
}

/// The whole trace, in the order the statements ran.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    pub steps: Vec<Step>,
}

impl Trace {
    /// Every disagreement, located.
    pub fn disagreements(&self) -> Vec<String> {
        self.steps
            .iter()
            .flat_map(|s| {
                s.disagreements
                    .iter()
                    .map(move |d| format!("{}:{}: {d}", s.file, s.line))
            })
            .collect()
    }
}

/// How to trace.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Stop at the first failing statement, as the migration runner does (a migrations
    /// folder); otherwise go on with the next one, as `psql` does for a plain file.
    pub stop_on_error: bool,
    /// How often the second connection samples `pg_locks` while a statement runs.
    pub sample_every: Option<Duration>,
}

/// Reads what each finding predicts: the lock its message names ("takes ACCESS EXCLUSIVE",
/// "under SHARE", "for SHARE ROW EXCLUSIVE"), whether it says the table "rewrites" and whether
/// it "reads every row" ("reads the whole table").
pub fn prediction(f: &Finding) -> Option<Prediction> {
    // Longest names first, so `SHARE` does not match inside `SHARE ROW EXCLUSIVE`.
    let mut names: Vec<&'static str> = MODES.iter().map(|(_, n)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let lock = names.into_iter().find(|name| {
        f.message.contains(&format!("takes {name} "))
            || f.message.contains(&format!("under {name}"))
            || f.message.contains(&format!("for {name} "))
    });
    let rewrite = f.message.contains(" rewrites ");
    let scan = f.message.contains("reads every row") || f.message.contains("reads the whole table");
    (lock.is_some() || rewrite || scan).then(|| Prediction {
        code: f.code,
        object: f.object.clone(),
        lock,
        rewrite,
        scan,
    })
}

/// One relation of the database, as the runner sees it.
#[derive(Debug, Clone)]
struct Rel {
    name: String,
    /// The table an index belongs to; the relation itself otherwise.
    table: u32,
    /// `pg_relation_filenode` of tables and materialized views.
    file: Option<u32>,
}

const RELATIONS: &str =
    "SELECT c.oid, (n.nspname || '.' || c.relname)::text, coalesce(i.indrelid, c.oid)::oid,
        CASE WHEN c.relkind IN ('r', 'm') THEN pg_relation_filenode(c.oid) END::oid
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_index i ON i.indexrelid = c.oid
  WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'm', 'i', 'I', 'S', 'v', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

fn relations(c: &mut Client) -> Result<HashMap<u32, Rel>, strata_pg::postgres::Error> {
    Ok(c.query(RELATIONS, &[])?
        .iter()
        .map(|r| {
            (
                r.get::<_, u32>(0),
                Rel {
                    name: r.get(1),
                    table: r.get(2),
                    file: r.get(3),
                },
            )
        })
        .collect())
}

/// Sequential scans of each table by this backend's open transaction.
fn scans(c: &mut Client) -> Result<HashMap<u32, i64>, strata_pg::postgres::Error> {
    Ok(c.query(
        "SELECT relid::oid, coalesce(seq_scan, 0)::int8 FROM pg_stat_xact_user_tables",
        &[],
    )?
    .iter()
    .map(|r| (r.get::<_, u32>(0), r.get::<_, i64>(1)))
    .collect())
}

const LOCKS: &str = "SELECT relation::oid, mode::text FROM pg_locks
  WHERE pid = $1 AND locktype = 'relation' AND granted AND relation IS NOT NULL
    AND relation >= 16384 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

/// Strongest lock rank by relation held by backend `pid` now.
fn locks(observer: &mut Client, pid: i32) -> Result<HashMap<u32, u8>, strata_pg::postgres::Error> {
    let mut out = HashMap::new();
    for r in observer.query(LOCKS, &[&pid])? {
        let rank = rank_of_mode(&r.get::<_, String>(1));
        let e = out.entry(r.get::<_, u32>(0)).or_insert(0);
        *e = (*e).max(rank);
    }
    Ok(out)
}

fn merge(into: &mut HashMap<u32, u8>, from: HashMap<u32, u8>) {
    for (oid, rank) in from {
        let e = into.entry(oid).or_insert(0);
        *e = (*e).max(rank);
    }
}

/// Runs `sql` on `runner` while `observer` samples the locks of `pid`.
fn run_sampled(
    runner: &mut Client,
    observer: &mut Client,
    pid: i32,
    sql: &str,
    every: Duration,
) -> (Result<(), String>, Duration, HashMap<u32, u8>) {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let start = Instant::now();
            let result = runner.batch_execute(sql).map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string())
            });
            done.store(true, Ordering::SeqCst);
            (result, start.elapsed())
        });
        let mut sampled = HashMap::new();
        while !done.load(Ordering::SeqCst) {
            if let Ok(now) = locks(observer, pid) {
                merge(&mut sampled, now);
            }
            std::thread::sleep(every);
        }
        let (result, elapsed) = worker
            .join()
            .unwrap_or_else(|_| (Err("the statement's thread failed".into()), Duration::ZERO));
        (result, elapsed, sampled)
    })
}

fn is_control(first: &str) -> bool {
    matches!(
        first,
        "BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "END" | "ABORT"
    )
}

/// Traces `migration` on `runner`'s database (which holds the schema before it), reading locks
/// from `observer` (a second connection to the same server) and comparing with the predictions
/// of `findings` (the static lint of the same statements).
pub fn trace(
    runner: &mut Client,
    observer: &mut Client,
    migration: &Migration,
    findings: &[Finding],
    options: &Options,
) -> Result<Trace, TraceError> {
    let every = options.sample_every.unwrap_or(Duration::from_millis(5));
    let pid: i32 = runner
        .query_one("SELECT pg_backend_pid()", &[])
        .map_err(conn("reading the backend pid"))?
        .get(0);
    let mut steps: Vec<Step> = Vec::new();
    // Steps of the transaction block now open, with their start times.
    let mut open: Vec<(usize, Instant)> = Vec::new();
    let mut in_block = false;
    let mut runner_open: Option<usize> = None;
    let mut stopped = false;
    let mut names: HashMap<u32, Rel> = HashMap::new();
    // The relations that existed when the open transaction began: a lock on one made since
    // stops no one else.
    let mut existing: Option<std::collections::HashSet<u32>> = None;
    for st in &migration.statements {
        let predicted: Vec<Prediction> = findings
            .iter()
            .filter(|f| f.file.as_deref() == Some(st.file.as_str()) && f.line == Some(st.line))
            .filter_map(prediction)
            .collect();
        let mut step = Step {
            file: st.file.clone(),
            line: st.line,
            statement: st.head(),
            status: Status::NotRun,
            error: None,
            transaction: Transaction::None,
            elapsed_ms: 0.0,
            held_ms: 0.0,
            lock_timeout: None,
            locks: Vec::new(),
            rewritten: Vec::new(),
            scanned: Vec::new(),
            predicted,
            disagreements: Vec::new(),
        };
        // The end of a runner transaction: the previous file's.
        if runner_open.is_some_and(|f| f != st.file_index) {
            end_block(runner, &mut steps, &mut open, "COMMIT")?;
            runner_open = None;
            existing = None;
        }
        if stopped {
            steps.push(step);
            continue;
        }
        if st.runner_transaction && runner_open.is_none() {
            runner
                .batch_execute("BEGIN")
                .map_err(conn("opening the runner's transaction"))?;
            runner_open = Some(st.file_index);
        }
        let first = st.kw(0).unwrap_or_default().to_string();
        let control = is_control(&first);
        let outside_only = strata_sql::split::forbids_transaction(&st.sql).is_some();
        let own = runner_open.is_none() && !in_block && !control && !outside_only;
        step.transaction = if runner_open.is_some() {
            Transaction::Runner
        } else if own {
            Transaction::Own
        } else if in_block && !control {
            Transaction::Block
        } else {
            Transaction::None
        };
        if own {
            runner.batch_execute("BEGIN").map_err(conn("BEGIN"))?;
        }
        // Before: the relations and their files, the locks already held, the lock_timeout (an
        // aborted block refuses queries: then the statement fails too).
        let before = relations(runner).unwrap_or_default();
        names.extend(before.iter().map(|(k, v)| (*k, v.clone())));
        let in_transaction = step.transaction != Transaction::None;
        if !in_transaction || existing.is_none() {
            existing = Some(before.keys().copied().collect());
        }
        let held_before = if step.transaction == Transaction::None {
            HashMap::new()
        } else {
            locks(observer, pid).map_err(conn("reading pg_locks"))?
        };
        let scans_before = if in_transaction {
            scans(runner).unwrap_or_default()
        } else {
            HashMap::new()
        };
        step.lock_timeout = runner
            .query_one("SELECT current_setting('lock_timeout')", &[])
            .ok()
            .map(|r| r.get::<_, String>(0))
            .filter(|v| v != "0");
        let started = Instant::now();
        // Transaction control is not sampled: what `COMMIT` holds while it runs is the
        // block's locks, reported at the statements that took them.
        let (result, elapsed, mut held) = if control {
            let start = Instant::now();
            let result = runner.batch_execute(&st.sql).map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string())
            });
            (result, start.elapsed(), HashMap::new())
        } else {
            run_sampled(runner, observer, pid, &st.sql, every)
        };
        step.elapsed_ms = elapsed.as_secs_f64() * 1000.0;
        let exact = step.transaction != Transaction::None;
        match &result {
            Ok(()) => {
                step.status = Status::Ran;
                if exact {
                    held = locks(observer, pid).map_err(conn("reading pg_locks"))?;
                }
                let after = relations(runner).unwrap_or_default();
                names.extend(after.iter().map(|(k, v)| (*k, v.clone())));
                step.rewritten = before
                    .iter()
                    .filter(|(oid, r)| {
                        r.file.is_some() && after.get(*oid).is_some_and(|a| a.file != r.file)
                    })
                    .map(|(_, r)| r.name.clone())
                    .collect();
                step.rewritten.sort();
                if exact {
                    step.scanned = scans(runner)
                        .unwrap_or_default()
                        .iter()
                        .filter(|(oid, n)| scans_before.get(*oid).copied().unwrap_or(0) < **n)
                        .filter_map(|(oid, _)| names.get(oid).map(|r| r.name.clone()))
                        .collect();
                    step.scanned.sort();
                }
            }
            Err(e) => {
                step.status = Status::Failed;
                step.error = Some(e.clone());
            }
        }
        let mut listed: Vec<(u8, HeldLock)> = held
            .iter()
            .filter_map(|(oid, rank)| {
                let rel = names.get(oid)?;
                Some((
                    *rank,
                    HeldLock {
                        relation: rel.name.clone(),
                        mode: lock_sql_name(*rank).to_string(),
                        new: held_before.get(oid).is_none_or(|b| b < rank),
                        created: existing.as_ref().is_none_or(|e| !e.contains(oid)),
                        index: rel.table != *oid,
                    },
                ))
            })
            .collect();
        listed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.relation.cmp(&b.1.relation)));
        step.locks = listed.into_iter().map(|(_, l)| l).collect();
        compare(&mut step, &before, &held, &held_before, exact);
        let failed = result.is_err();
        let index = steps.len();
        steps.push(step);
        match step_kind(own, &first, control, in_block, runner_open.is_some()) {
            Kind::Own => {
                let end = if failed { "ROLLBACK" } else { "COMMIT" };
                runner
                    .batch_execute(end)
                    .map_err(conn("ending a statement's transaction"))?;
                steps[index].held_ms = started.elapsed().as_secs_f64() * 1000.0;
            }
            Kind::Opens => {
                in_block = !failed;
                steps[index].held_ms = steps[index].elapsed_ms;
            }
            Kind::Closes => {
                in_block = false;
                existing = None;
                close(&mut steps, &mut open);
                steps[index].held_ms = steps[index].elapsed_ms;
            }
            Kind::InBlock => open.push((index, started)),
            Kind::Outside => steps[index].held_ms = steps[index].elapsed_ms,
        }
        if failed && runner_open.is_some() {
            end_block(runner, &mut steps, &mut open, "ROLLBACK")?;
            runner_open = None;
            existing = None;
        }
        if failed && options.stop_on_error {
            stopped = true;
        }
    }
    if runner_open.is_some() {
        end_block(runner, &mut steps, &mut open, "COMMIT")?;
    }
    if in_block || !open.is_empty() {
        // A block the file left open: its locks are held until the session ends.
        let _ = runner.batch_execute("ROLLBACK");
        close(&mut steps, &mut open);
    }
    Ok(Trace { steps })
}

enum Kind {
    Own,
    Opens,
    Closes,
    InBlock,
    Outside,
}

fn step_kind(own: bool, first: &str, control: bool, in_block: bool, runner: bool) -> Kind {
    if own {
        Kind::Own
    } else if runner {
        Kind::InBlock
    } else if control && matches!(first, "BEGIN" | "START") {
        Kind::Opens
    } else if control {
        Kind::Closes
    } else if in_block {
        Kind::InBlock
    } else {
        Kind::Outside
    }
}

/// Ends the runner's transaction (or a block) and sets how long its statements held locks.
fn end_block(
    runner: &mut Client,
    steps: &mut [Step],
    open: &mut Vec<(usize, Instant)>,
    how: &'static str,
) -> Result<(), TraceError> {
    runner
        .batch_execute(how)
        .map_err(conn("ending the runner's transaction"))?;
    close(steps, open);
    Ok(())
}

fn close(steps: &mut [Step], open: &mut Vec<(usize, Instant)>) {
    for (i, started) in open.drain(..) {
        if let Some(s) = steps.get_mut(i) {
            s.held_ms = started.elapsed().as_secs_f64() * 1000.0;
        }
    }
}

/// Checks each prediction of the step against the server: a lock it names must be the
/// strongest lock the transaction held on the finding's table after the statement (unless an
/// earlier statement of the transaction already held one at least as strong, which hides the
/// statement's own request), and a rewrite it predicts must have given the table a new file.
fn compare(
    step: &mut Step,
    before: &HashMap<u32, Rel>,
    held: &HashMap<u32, u8>,
    held_before: &HashMap<u32, u8>,
    exact: bool,
) {
    let by_name: BTreeMap<&str, u32> = before
        .iter()
        .map(|(oid, r)| (r.name.as_str(), *oid))
        .collect();
    let mut problems = Vec::new();
    for p in &step.predicted {
        if step.status != Status::Ran {
            // Nothing to compare: the failure is the report.
            continue;
        }
        // The finding's table: `schema.table` of `schema.table[.part]`, or an index's table.
        let name: String = p.object.split('.').take(2).collect::<Vec<_>>().join(".");
        let Some(table) = by_name
            .get(name.as_str())
            .and_then(|oid| before.get(oid))
            .map(|r| r.table)
        else {
            problems.push(format!(
                "{} is about {name}, which did not exist before the statement",
                p.code
            ));
            continue;
        };
        if let (Some(lock), true) = (p.lock, exact) {
            let claimed = rank_of_sql_name(lock).unwrap_or(0);
            let got = held.get(&table).copied().unwrap_or(0);
            let masked = held_before.get(&table).is_some_and(|&b| b >= claimed);
            if got != claimed && !masked {
                problems.push(format!(
                    "{} says {lock} on {name}; the server held {}",
                    p.code,
                    lock_sql_name(got)
                ));
            }
        }
        let table_name = before
            .get(&table)
            .map_or(name.as_str(), |r| r.name.as_str());
        // A rewrite reads every row too; scans are counted only inside a transaction.
        let read = step
            .scanned
            .iter()
            .chain(&step.rewritten)
            .any(|r| r == table_name);
        if p.scan && exact && !read {
            problems.push(format!(
                "{} says every row of {table_name} is read; the server did not scan it",
                p.code
            ));
        }
        if p.rewrite && !step.rewritten.iter().any(|r| r == table_name) {
            problems.push(format!(
                "{} says {table_name} is rewritten; its file did not change",
                p.code
            ));
        }
    }
    step.disagreements = problems;
}

/// A function's volatility as `pg_proc.provolatile` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Volatility {
    Immutable,
    Stable,
    Volatile,
}

/// The volatility of every function on the server, by `schema.name` (lower case as stored;
/// the most volatile of its overloads), for the migration rules
/// ([`Migration::with_server_functions`]).
pub fn function_volatility(client: &mut Client) -> Result<HashMap<String, Volatility>, TraceError> {
    let rows = client
        .query(
            "SELECT n.nspname || '.' || p.proname, p.provolatile::text
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace",
            &[],
        )
        .map_err(conn("reading pg_proc"))?;
    let mut out: HashMap<String, Volatility> = HashMap::new();
    for r in rows {
        let v = match r.get::<_, String>(1).as_str() {
            "i" => Volatility::Immutable,
            "s" => Volatility::Stable,
            _ => Volatility::Volatile,
        };
        let e = out.entry(r.get(0)).or_insert(v);
        *e = (*e).max(v);
    }
    Ok(out)
}

fn transaction_text(t: Transaction) -> &'static str {
    match t {
        Transaction::Own => "in its own transaction",
        Transaction::Block => "in the file's transaction block",
        Transaction::Runner => "in the migration runner's transaction",
        Transaction::None => "outside a transaction",
    }
}

/// Locks on tables, and locks on indexes that block writes (SHARE or stronger): the index
/// locks every query takes along with its table's say nothing more.
fn worth_showing(l: &HeldLock) -> bool {
    !l.index || rank_of_sql_name(&l.mode).unwrap_or(0) >= 5
}

/// For a terminal: each statement with what the server did and what the rules predicted
/// (locks on indexes weaker than SHARE are left out; the JSON has every lock).
pub fn human(trace: &Trace) -> String {
    let mut out = String::new();
    for s in &trace.steps {
        out.push_str(&format!("{}:{}  {}\n", s.file, s.line, s.statement));
        match s.status {
            Status::NotRun => {
                out.push_str("    not run: an earlier statement failed\n\n");
                continue;
            }
            Status::Failed => out.push_str(&format!(
                "    FAILED {} after {:.1} ms: {}\n",
                transaction_text(s.transaction),
                s.elapsed_ms,
                s.error.as_deref().unwrap_or_default()
            )),
            Status::Ran => out.push_str(&format!(
                "    ran {:.1} ms {}; locks held {:.1} ms; lock_timeout {}\n",
                s.elapsed_ms,
                transaction_text(s.transaction),
                s.held_ms,
                s.lock_timeout.as_deref().unwrap_or("none")
            )),
        }
        let locks: Vec<String> = s
            .locks
            .iter()
            .filter(|l| !l.created && l.new && worth_showing(l))
            .map(|l| format!("{} on {}", l.mode, l.relation))
            .collect();
        let kept: Vec<String> = s
            .locks
            .iter()
            .filter(|l| !l.created && !l.new && worth_showing(l))
            .map(|l| format!("{} on {}", l.mode, l.relation))
            .collect();
        if !locks.is_empty() {
            let how = if s.transaction == Transaction::None {
                "locks seen"
            } else {
                "locks"
            };
            out.push_str(&format!("    {how}: {}\n", locks.join(", ")));
        }
        if !kept.is_empty() && s.status == Status::Ran {
            out.push_str(&format!(
                "    still held from earlier statements: {}\n",
                kept.join(", ")
            ));
        }
        if !s.rewritten.is_empty() {
            out.push_str(&format!("    rewritten: {}\n", s.rewritten.join(", ")));
        }
        if !s.scanned.is_empty() {
            out.push_str(&format!("    scanned: {}\n", s.scanned.join(", ")));
        }
        for p in &s.predicted {
            let mut said = Vec::new();
            if let Some(l) = p.lock {
                said.push(l.to_string());
            }
            if p.rewrite {
                said.push("rewrite".into());
            }
            if p.scan {
                said.push("scan".into());
            }
            out.push_str(&format!(
                "    predicted: {} {} on {}\n",
                p.code,
                said.join(" + "),
                p.object
            ));
        }
        for d in &s.disagreements {
            out.push_str(&format!("    DISAGREES: {d}\n"));
        }
        out.push('\n');
    }
    let ran = trace
        .steps
        .iter()
        .filter(|s| s.status == Status::Ran)
        .count();
    let unguarded = trace
        .steps
        .iter()
        .filter(|s| {
            s.lock_timeout.is_none()
                && s.strongest_new_lock()
                    .is_some_and(|l| rank_of_sql_name(&l.mode).unwrap_or(0) >= 5)
        })
        .count();
    out.push_str(&format!(
        "traced {} statement(s): {ran} ran, {} failed, {} rewrote a table, {unguarded} took SHARE or stronger on an existing relation without lock_timeout, {} disagreement(s) with the static rules\n",
        trace.steps.len(),
        trace
            .steps
            .iter()
            .filter(|s| s.status == Status::Failed)
            .count(),
        trace
            .steps
            .iter()
            .filter(|s| !s.rewritten.is_empty())
            .count(),
        trace.disagreements().len()
    ));
    out
}

/// The domains on the server that carry a constraint (`CHECK` or `NOT NULL`), by `schema.name`:
/// adding a column of one makes PostgreSQL rewrite the table to check every row
/// ([`Migration::with_server_domains`]).
pub fn constrained_domains(
    client: &mut Client,
) -> Result<std::collections::HashSet<String>, TraceError> {
    let rows = client
        .query(
            "SELECT n.nspname || '.' || t.typname FROM pg_type t
               JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE t.typtype = 'd'
                AND (t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = t.oid))",
            &[],
        )
        .map_err(conn("reading pg_type"))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

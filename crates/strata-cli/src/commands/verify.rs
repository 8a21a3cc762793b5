//! `strata verify SRC`: builds the schema in a fresh database (a throwaway cluster, or a new
//! database on `--url`'s server, dropped afterwards), seeds it at the declared row counts,
//! then runs every access pattern with parameters drawn from the seeded rows: a plan summary
//! from EXPLAIN (ANALYZE, BUFFERS), latency p50/p95 over serial runs, throughput of the
//! rate-weighted mix with concurrent clients for a bounded time, index sizes and the share of
//! HOT updates. Exit 1 when a pattern with a rate at or above `--min-rate` scans a large
//! table sequentially or sorts rows an index of the design was chosen to order.
//! `--baseline OTHER` runs the identical workload on another schema and prints ratios.
//! See docs/verify.md.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use clap::Args;
use strata_model::{AccessPattern, Model, quote_literal};
use strata_pg::postgres::{self, Client};
use strata_seed::{Dataset, Quiet, Sizing};

use crate::connect::{self, Session};
use crate::source::{self, SourceOptions};
use crate::{EXIT_ERROR, EXIT_FINDINGS, Format, output};

mod dominance;

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub sql: crate::source::SqlInputArgs,
    /// The schema with its access patterns: a `.strata` file or folder.
    pub src: String,
    /// Run the same workload on this schema too (a `.sql` file or `.strata`) and print ratios.
    #[arg(long, value_name = "OTHER")]
    pub baseline: Option<String>,
    /// A server to use instead of a throwaway cluster: a fresh database is created on it and
    /// dropped afterwards.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Multiply every declared row count.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Exact rows of one table, `table=N` (repeatable).
    #[arg(long, value_name = "TABLE=N", value_parser = parse_rows)]
    pub rows: Vec<(String, u64)>,
    /// The random seed of the data and of the parameters.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Seconds of the concurrent run.
    #[arg(long, default_value_t = 5.0)]
    pub duration: f64,
    /// Concurrent clients of the concurrent run.
    #[arg(long, default_value_t = 4)]
    pub clients: usize,
    /// Serial executions per pattern for the latency percentiles.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    /// Patterns at or above this rate (per second) fail on a large sequential scan or sort.
    #[arg(long, default_value_t = 1.0)]
    pub min_rate: f64,
    /// Tables with at least this many rows count as large.
    #[arg(long, default_value_t = 10_000)]
    pub large: u64,
    /// `human` (a report) or `json` (one object, for scripts).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn parse_rows(text: &str) -> Result<(String, u64), String> {
    let (t, n) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not TABLE=N (for example tasks=1000000)"))?;
    let n = n
        .trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{text:?}: {n:?} is not a row count"))?;
    Ok((t.trim().to_string(), n))
}

/// One pattern's measurements on one schema.
#[derive(Debug, Clone, serde::Serialize)]
struct PatternRun {
    pattern: String,
    table: String,
    rate: f64,
    write: bool,
    /// The statement EXPLAIN ran (the first set of parameters).
    example: String,
    /// Node types with their relation or index, outermost first (`Index Scan using i on t`).
    plan: Vec<String>,
    buffers: i64,
    explain_ms: f64,
    p50_ms: f64,
    p95_ms: f64,
    /// Executions per second in the concurrent run.
    throughput: f64,
    errors: u64,
    /// Why this pattern fails the run.
    findings: Vec<String>,
    /// Relative difference between the p50 of the odd and of the even serial runs: how much
    /// the p50 moves from noise alone.
    noise: f64,
    /// Why the pattern was not run on this schema (a baseline without its table or column).
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<String>,
}

impl PatternRun {
    fn not_run(p: &AccessPattern, write: bool, why: String) -> PatternRun {
        PatternRun {
            pattern: p.name.clone(),
            table: p.table.name.clone(),
            rate: p.rate_per_sec.unwrap_or(1.0),
            write,
            example: String::new(),
            plan: Vec::new(),
            buffers: 0,
            explain_ms: 0.0,
            p50_ms: 0.0,
            p95_ms: 0.0,
            throughput: 0.0,
            errors: 0,
            findings: Vec::new(),
            noise: 0.0,
            skipped: Some(why),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
struct SchemaRun {
    schema: String,
    load_rows: u64,
    load_seconds: f64,
    /// table → (rows, seconds) of the load.
    load_tables: BTreeMap<String, (u64, f64)>,
    patterns: Vec<PatternRun>,
    /// index → bytes.
    indexes: BTreeMap<String, i64>,
    /// index → the table it indexes.
    index_tables: BTreeMap<String, String>,
    index_bytes: i64,
    /// table → (updates, HOT updates).
    hot: BTreeMap<String, (i64, i64)>,
    concurrent_tps: f64,
}

/// Where the databases live: a throwaway cluster, or `--url`'s server.
enum Server {
    Cluster(strata_pg::Cluster),
    Url(Box<strata_pg::conn::ConnInfo>),
}

/// Opens a connection to the database a run uses.
type Connector = Box<dyn Fn() -> anyhow::Result<Client> + Send + Sync>;

impl Server {
    fn create(&self) -> anyhow::Result<(String, Connector)> {
        match self {
            Server::Cluster(c) => {
                let db = c.create_database()?;
                let config = c.config(&db);
                Ok((db, Box::new(move || Ok(config.connect(postgres::NoTls)?))))
            }
            Server::Url(info) => {
                let db = format!("strata_verify_{}_{}", std::process::id(), unique());
                let mut admin = info.connect().context("could not connect to --url")?;
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{db}\""))
                    .with_context(|| format!("could not create database {db} on --url's server"))?;
                let info = info.with_dbname(&db);
                Ok((db, Box::new(move || Ok(info.connect()?))))
            }
        }
    }
    fn drop_database(&self, db: &str) {
        if let Server::Url(info) = self
            && let Ok(mut admin) = info.connect()
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"));
        }
    }
}

fn unique() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

pub fn run(args: VerifyArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    let opts = SourceOptions {
        dev_url: dev_url.map(str::to_string),
        ..Default::default()
    };
    let loaded = source::load(&args.src, &opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        output::stderr("nothing was verified: fix the errors above\n");
        return Ok(EXIT_ERROR);
    }
    let patterns = loaded.model.access_patterns.clone();
    if patterns.is_empty() {
        bail!(
            "{} declares no access patterns: verify runs the workload they describe (add `access NAME RATE \"\"\"SQL\"\"\"` to the entities)",
            args.src
        );
    }
    let baseline = match &args.baseline {
        Some(b) => {
            let l = source::load(b, &opts)?;
            super::report_human(&l.diagnostics, &l.sources, color);
            if l.has_errors() {
                output::stderr("nothing was verified: fix the baseline's errors above\n");
                return Ok(EXIT_ERROR);
            }
            let mut m = l.model;
            borrow_workload_facts(&loaded.model, &mut m);
            Some(m)
        }
        None => None,
    };
    let server = match &args.url {
        Some(u) => Server::Url(Box::new(connect::resolve(Some(u), Session::NotNeeded)?)),
        None => Server::Cluster(
            strata_pg::Cluster::start()
                .context("could not start a throwaway PostgreSQL cluster")?,
        ),
    };
    let ours = measure(&server, &args.src, &loaded.model, &patterns, &args, true)?;
    let base = match (&baseline, &args.baseline) {
        (Some(m), Some(name)) => Some(measure(&server, name, m, &patterns, &args, false)?),
        _ => None,
    };
    let failed = ours.patterns.iter().any(|p| !p.findings.is_empty());
    let verdict = base.as_ref().map(|b| dominance::judge(&ours, b));
    match args.format {
        Format::Json => {
            let v = serde_json::json!({ "schema": ours, "baseline": base, "dominance": verdict });
            output::stdout(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        Format::Human => {
            let mut text = render(&ours, base.as_ref(), &args);
            if let (Some(d), Some(b)) = (&verdict, &base) {
                text.push_str(&dominance::render(d, &b.schema));
            }
            output::stdout(&text)?
        }
    }
    Ok(if failed { EXIT_FINDINGS } else { 0 })
}

fn measure(
    server: &Server,
    name: &str,
    model: &Model,
    patterns: &[AccessPattern],
    args: &VerifyArgs,
    check: bool,
) -> anyhow::Result<SchemaRun> {
    let (db, connect) = server.create()?;
    let result = measure_in(&*connect, name, model, patterns, args, check);
    server.drop_database(&db);
    result
}

fn measure_in(
    connect: &(dyn Fn() -> anyhow::Result<Client> + Send + Sync),
    name: &str,
    model: &Model,
    patterns: &[AccessPattern],
    args: &VerifyArgs,
    check: bool,
) -> anyhow::Result<SchemaRun> {
    let mut client = connect()?;
    let summary = build_and_seed(
        &mut client,
        name,
        model,
        &Sizing {
            scale: args.scale,
            // `--rows` names SRC's tables; a baseline takes those it has (it may lack the
            // others, which is no error there).
            rows: args
                .rows
                .iter()
                .filter(|(t, _)| {
                    check
                        || model.tables.iter().any(|m| {
                            *t == m.name.name || *t == format!("{}.{}", m.name.schema, m.name.name)
                        })
                })
                .cloned()
                .collect(),
            seed: args.seed,
            now: None,
        },
    )?;

    // The same stream of draws on every schema, so a baseline gets the same workload.
    let mut rng = strata_seed::Rng::new(args.seed, &["verify"]);
    let mut samples = Samples::default();
    // Every parameter is drawn before anything runs, so a write (a purge) cannot empty the
    // table another pattern draws from.
    let mut bound = Vec::with_capacity(patterns.len());
    let mut not_run: Vec<Option<String>> = vec![None; patterns.len()];
    for (i, p) in patterns.iter().enumerate() {
        let b = Bound::new(model, p);
        let mut texts = Vec::new();
        for _ in 0..args.runs.max(1) {
            match b.instance(&mut client, &mut samples, &mut rng) {
                Ok(t) => texts.push(t),
                // A baseline may lack a pattern's table: the pattern is not run there.
                Err(e) if !check => {
                    not_run[i] = Some(root_cause(&e));
                    texts.clear();
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        bound.push((b.write, texts));
    }
    // Reads first, then writes; a write's serial runs are each rolled back, so the reads and
    // the other writes see the seeded data (the concurrent run below commits).
    let mut order: Vec<usize> = (0..patterns.len()).collect();
    order.sort_by_key(|&i| bound[i].0);
    let mut measured: Vec<Option<PatternRun>> = vec![None; patterns.len()];
    for i in order {
        let p = &patterns[i];
        let (write, texts) = &bound[i];
        if let Some(why) = &not_run[i] {
            measured[i] = Some(PatternRun::not_run(p, *write, why.clone()));
            continue;
        }
        let Some(first) = texts.first() else {
            continue;
        };
        let (plan, buffers, explain_ms, findings) =
            match explain(&mut client, p, first, args, check, model) {
                Ok(e) => e,
                Err(e) if !check => {
                    measured[i] = Some(PatternRun::not_run(p, *write, root_cause(&e)));
                    bound[i].1.clear();
                    continue;
                }
                Err(e) => return Err(e),
            };
        let (write, texts) = &bound[i];
        let mut times = Vec::with_capacity(texts.len());
        let mut errors = 0;
        for t in texts {
            let s = Instant::now();
            let ok = if *write {
                let mut tx = client.transaction()?;
                let ok = tx.batch_execute(t).is_ok();
                let _ = tx.rollback();
                ok
            } else {
                client.batch_execute(t).is_ok()
            };
            if !ok {
                errors += 1;
            }
            times.push(s.elapsed().as_secs_f64() * 1000.0);
        }
        let noise = split_noise(&times);
        times.sort_by(f64::total_cmp);
        measured[i] = Some(PatternRun {
            pattern: p.name.clone(),
            table: p.table.name.clone(),
            rate: p.rate_per_sec.unwrap_or(1.0),
            write: *write,
            example: texts[0].clone(),
            plan,
            buffers,
            explain_ms,
            p50_ms: percentile(&times, 0.5),
            p95_ms: percentile(&times, 0.95),
            throughput: 0.0,
            errors,
            findings,
            noise,
            skipped: None,
        });
    }
    let mut runs: Vec<PatternRun> = measured.into_iter().flatten().collect();
    let statements: Vec<Vec<String>> = bound.into_iter().map(|(_, t)| t).collect();

    // The concurrent run: each client picks patterns by rate, for a bounded time.
    let weights: Vec<f64> = runs
        .iter()
        .map(|r| {
            if r.skipped.is_some() {
                0.0
            } else {
                r.rate.max(1e-6)
            }
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let stop = Arc::new(AtomicBool::new(false));
    let statements = Arc::new(statements);
    let started = Instant::now();
    let counts: Vec<(Vec<u64>, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..args.clients.max(1))
            .map(|c| {
                let stop = stop.clone();
                let statements = statements.clone();
                let weights = weights.clone();
                s.spawn(move || -> (Vec<u64>, u64) {
                    let mut done = vec![0u64; weights.len()];
                    let mut errors = 0u64;
                    let Ok(mut client) = connect() else {
                        return (done, 1);
                    };
                    let mut r = strata_seed::Rng::new(c as u64, &["client"]);
                    let mut k = 0usize;
                    while !stop.load(Ordering::Relaxed) {
                        let mut x = r.unit() * total;
                        let mut i = 0;
                        while i + 1 < weights.len() && x >= weights[i] {
                            x -= weights[i];
                            i += 1;
                        }
                        let list = &statements[i];
                        if list.is_empty() {
                            continue;
                        }
                        k += 1;
                        match client.batch_execute(&list[k % list.len()]) {
                            Ok(()) => done[i] += 1,
                            Err(_) => errors += 1,
                        }
                    }
                    (done, errors)
                })
            })
            .collect();
        std::thread::sleep(Duration::from_secs_f64(args.duration.max(0.1)));
        stop.store(true, Ordering::Relaxed);
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut concurrent = 0u64;
    for (done, errors) in &counts {
        for (i, n) in done.iter().enumerate() {
            runs[i].throughput += *n as f64 / elapsed;
            concurrent += n;
        }
        if let Some(r) = runs.first_mut() {
            r.errors += errors;
        }
    }

    // Index sizes and HOT share (the clients have closed, so their statistics are flushed).
    std::thread::sleep(Duration::from_millis(700));
    let mut client = connect()?;
    let mut indexes = BTreeMap::new();
    let mut index_tables = BTreeMap::new();
    for row in client.query(
        "SELECT c.relname::text, pg_relation_size(c.oid), t.relname::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_index x ON x.indexrelid = c.oid JOIN pg_class t ON t.oid = x.indrelid \
         WHERE c.relkind = 'i' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
        &[],
    )? {
        indexes.insert(row.get::<_, String>(0), row.get::<_, i64>(1));
        index_tables.insert(row.get::<_, String>(0), row.get::<_, String>(2));
    }
    let mut hot = BTreeMap::new();
    for row in client.query(
        "SELECT relname::text, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE n_tup_upd > 0",
        &[],
    )? {
        hot.insert(
            row.get::<_, String>(0),
            (row.get::<_, i64>(1), row.get::<_, i64>(2)),
        );
    }
    Ok(SchemaRun {
        schema: name.to_string(),
        load_rows: summary.rows(),
        load_seconds: summary.seconds,
        load_tables: summary
            .tables
            .iter()
            .map(|t| (t.table.clone(), (t.rows, t.seconds)))
            .collect(),
        patterns: runs,
        index_bytes: indexes.values().sum(),
        indexes,
        index_tables,
        hot,
        concurrent_tps: concurrent as f64 / elapsed,
    })
}

/// The last cause of an error chain: what the server or the sampler said.
fn root_cause(e: &anyhow::Error) -> String {
    e.chain()
        .last()
        .map(|c| c.to_string())
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// How far the p50 of the odd runs is from that of the even runs, relative to the p50 of all:
/// the noise of the measurement itself.
fn split_noise(times: &[f64]) -> f64 {
    let mut even: Vec<f64> = times.iter().step_by(2).copied().collect();
    let mut odd: Vec<f64> = times.iter().skip(1).step_by(2).copied().collect();
    if odd.is_empty() {
        return 0.0;
    }
    let mut all = times.to_vec();
    all.sort_by(f64::total_cmp);
    even.sort_by(f64::total_cmp);
    odd.sort_by(f64::total_cmp);
    let mid = percentile(&all, 0.5);
    if mid <= 0.0 {
        return 0.0;
    }
    (percentile(&even, 0.5) - percentile(&odd, 0.5)).abs() / mid
}

/// A baseline written as plain SQL declares no row counts or statistics: it gets those of the
/// design's table of the same name, so both schemas are seeded with the same data.
fn borrow_workload_facts(src: &Model, base: &mut Model) {
    for t in &mut base.tables {
        let Some(s) = src.tables.iter().find(|s| s.name == t.name) else {
            continue;
        };
        let columns: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
        let o = &mut t.origin;
        if o.row_estimate.is_none() {
            o.row_estimate = s.origin.row_estimate;
        }
        if o.stats.is_empty() {
            o.stats = s
                .origin
                .stats
                .iter()
                .filter(|h| columns.contains(&h.column))
                .cloned()
                .collect();
        }
        if o.soft_delete.is_none()
            && let Some(c) = &s.origin.soft_delete
            && columns.contains(c)
        {
            o.soft_delete = Some(c.clone());
        }
    }
}

/// Applies `model` to the empty database `client` is connected to, seeds it as `strata seed`
/// does and runs `VACUUM ANALYZE`, so the planner sees data at scale with its statistics.
/// `strata advise` on a design builds its throwaway copy through here too.
pub fn build_and_seed(
    client: &mut Client,
    name: &str,
    model: &Model,
    sizing: &Sizing,
) -> anyhow::Result<strata_seed::Summary> {
    let ddl = strata_sql::render(model, &strata_sql::RenderOptions::default())?;
    strata_pg::apply_sql(client, &ddl)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("could not apply {name}"))?;
    let data = Dataset::new(model, sizing)?;
    let summary = strata_seed::load(client, &data, &mut Quiet)
        .with_context(|| format!("could not seed {name}"))?;
    client.batch_execute("VACUUM ANALYZE")?;
    Ok(summary)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Values of one column drawn from the seeded rows, kept per (table, column).
#[derive(Default)]
struct Samples(BTreeMap<(String, String), Vec<String>>);

impl Samples {
    fn get(&mut self, client: &mut Client, table: &str, column: &str) -> anyhow::Result<&[String]> {
        let key = (table.to_string(), column.to_string());
        if !self.0.contains_key(&key) {
            let rows: f64 = client
                .query_one(
                    "SELECT greatest(reltuples, 1)::float8 FROM pg_class WHERE oid = to_regclass($1)",
                    &[&table],
                )
                .map(|r| r.get(0))
                .unwrap_or(1.0);
            // Pages read: about 2,000 rows' worth, never the whole of a large table.
            let pct: f64 = (2000.0_f64 / rows * 100.0).clamp(0.01, 100.0);
            let q = format!(
                "SELECT {c}::text FROM {table} TABLESAMPLE SYSTEM ({pct}) REPEATABLE (42) \
                 WHERE {c} IS NOT NULL LIMIT 500",
                c = strata_model::quote_ident(column)
            );
            let mut values: Vec<String> = client
                .query(&q, &[])
                .with_context(|| format!("could not sample {table}.{column}"))?
                .iter()
                .map(|r| r.get(0))
                .collect();
            if values.is_empty() {
                let q = format!(
                    "SELECT {c}::text FROM {table} WHERE {c} IS NOT NULL LIMIT 500",
                    c = strata_model::quote_ident(column)
                );
                values = client.query(&q, &[])?.iter().map(|r| r.get(0)).collect();
            }
            self.0.insert(key.clone(), values);
        }
        Ok(self.0.get(&key).map(Vec::as_slice).unwrap_or(&[]))
    }
}

/// What each `$n` of a pattern stands for.
#[derive(Debug, Clone)]
enum Param {
    /// A value of a column (`col = $n`, `SET col = $n`, an INSERT's value).
    Column {
        table: String,
        column: String,
    },
    /// A new value for a column of a unique key in an INSERT.
    Fresh {
        uuid: bool,
    },
    Limit,
    Offset,
    /// Anything else: a plain literal.
    Other(&'static str),
}

struct Bound {
    sql: String,
    params: Vec<Param>,
    write: bool,
}

impl Bound {
    fn new(model: &Model, p: &AccessPattern) -> Bound {
        let sql = p.sql.clone();
        let upper = sql.to_ascii_uppercase();
        let write = ["INSERT", "UPDATE", "DELETE"]
            .iter()
            .any(|k| upper.trim_start().starts_with(k));
        let table = model.table(&p.table);
        let n = max_param(&sql);
        let mut params: Vec<Param> = vec![Param::Other("1"); n];
        let tokens = tokenize(&sql);
        // INSERT INTO t (a, b) VALUES ($1, $2): by position.
        if upper.trim_start().starts_with("INSERT")
            && let (Some(open), Some(values)) = (sql.find('('), upper.find("VALUES"))
            && let Some(close) = sql[open..].find(')').map(|c| c + open)
            && close < values
        {
            let cols: Vec<String> = sql[open + 1..close]
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string())
                .collect();
            let vals: Vec<String> = sql[values..]
                .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c.is_whitespace())
                .trim_start_matches('(')
                .split(',')
                .map(|v| v.trim().trim_end_matches(')').trim().to_string())
                .collect();
            for (c, v) in cols.iter().zip(&vals) {
                if let Some(k) = v.strip_prefix('$').and_then(|d| d.parse::<usize>().ok())
                    && k >= 1
                    && k <= n
                {
                    let unique = table.is_some_and(|t| {
                        t.primary_key
                            .as_ref()
                            .is_some_and(|pk| pk.columns == [c.clone()])
                            || t.uniques.iter().any(|u| u.columns == [c.clone()])
                    });
                    let uuid = table
                        .and_then(|t| t.column(c))
                        .is_some_and(|col| col.data_type.is_builtin("uuid"));
                    params[k - 1] = if unique {
                        Param::Fresh { uuid }
                    } else {
                        column_param(model, p, c)
                    };
                }
            }
        }
        for (i, tok) in tokens.iter().enumerate() {
            let Some(k) = tok.strip_prefix('$').and_then(|d| d.parse::<usize>().ok()) else {
                continue;
            };
            if k == 0 || k > n || !matches!(params[k - 1], Param::Other(_)) {
                continue;
            }
            let prev = |j: usize| {
                tokens
                    .get(i.wrapping_sub(j))
                    .map(|s| s.to_ascii_uppercase())
            };
            let is_op = |t: &Option<String>| {
                matches!(
                    t.as_deref(),
                    Some("=" | "<" | ">" | "<=" | ">=" | "<>" | "!=")
                )
            };
            params[k - 1] = match prev(1).as_deref() {
                // `f(col) = f($n)`: the column inside the left side's call.
                Some("(") if is_op(&prev(3)) => {
                    let left = if prev(4).as_deref() == Some(")") {
                        prev(5)
                    } else {
                        prev(4)
                    };
                    match left {
                        Some(col) => {
                            let col = col.rsplit('.').next().unwrap_or(&col).to_ascii_lowercase();
                            column_param(model, p, &col)
                        }
                        None => Param::Other("1"),
                    }
                }
                Some("LIMIT") => Param::Limit,
                Some("OFFSET") => Param::Offset,
                Some("=" | "<" | ">" | "<=" | ">=" | "<>" | "!=") => match prev(2) {
                    Some(col) => {
                        let col = col.rsplit('.').next().unwrap_or(&col).to_ascii_lowercase();
                        column_param(model, p, &col)
                    }
                    None => Param::Other("1"),
                },
                _ => Param::Other("1"),
            };
        }
        Bound { sql, params, write }
    }

    /// The statement with literals for its parameters.
    fn instance(
        &self,
        client: &mut Client,
        samples: &mut Samples,
        rng: &mut strata_seed::Rng,
    ) -> anyhow::Result<String> {
        let mut values = Vec::with_capacity(self.params.len());
        for p in &self.params {
            values.push(match p {
                Param::Limit => "20".to_string(),
                Param::Offset => "0".to_string(),
                Param::Other(v) => quote_literal(v),
                Param::Fresh { uuid: true } => "gen_random_uuid()".to_string(),
                Param::Fresh { uuid: false } => {
                    quote_literal(&format!("verify-{}", rng.next_u64()))
                }
                Param::Column { table, column } => {
                    let s = samples.get(client, table, column)?;
                    match s.get(rng.below(s.len() as u64) as usize) {
                        Some(v) => quote_literal(v),
                        None => "NULL".to_string(),
                    }
                }
            });
        }
        Ok(substitute(&self.sql, &values))
    }
}

fn column_param(model: &Model, p: &AccessPattern, column: &str) -> Param {
    let home = model.table(&p.table);
    let t = if home.is_some_and(|t| t.column(column).is_some()) {
        home
    } else {
        model
            .tables
            .iter()
            .find(|t| t.column(column).is_some() && t.partition_of.is_none())
    };
    match t {
        Some(t) => Param::Column {
            table: t.name.quoted(),
            column: column.to_string(),
        },
        None => Param::Other("1"),
    }
}

fn tokenize(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' || c == '.' || c == '"' || (c == '$' && cur.is_empty()) {
            cur.push(c);
        } else {
            flush(&mut cur, &mut out);
            if matches!(c, '<' | '>' | '!' | '=') {
                let mut op = c.to_string();
                if let Some(&n) = chars.get(i + 1)
                    && matches!(n, '=' | '>')
                {
                    op.push(n);
                    i += 1;
                }
                out.push(op);
            } else if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
        i += 1;
    }
    flush(&mut cur, &mut out);
    out.into_iter()
        .map(|t| t.trim_matches('"').to_string())
        .collect()
}

fn max_param(sql: &str) -> usize {
    tokenize(sql)
        .iter()
        .filter_map(|t| t.strip_prefix('$').and_then(|d| d.parse::<usize>().ok()))
        .max()
        .unwrap_or(0)
}

/// `$n` replaced by `values[n-1]`, outside string literals, longest numbers first.
fn substitute(sql: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let b: Vec<char> = sql.chars().collect();
    let mut i = 0;
    let mut quoted = false;
    while i < b.len() {
        let c = b[i];
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c == '$' {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if let Ok(k) = b[i + 1..j].iter().collect::<String>().parse::<usize>()
                && k >= 1
                && let Some(v) = values.get(k - 1)
            {
                out.push_str(v);
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// EXPLAIN (ANALYZE, BUFFERS) of one instance, rolled back: the plan's nodes, buffers, time,
/// and the findings that fail the run.
fn explain(
    client: &mut Client,
    p: &AccessPattern,
    sql: &str,
    args: &VerifyArgs,
    check: bool,
    model: &Model,
) -> anyhow::Result<(Vec<String>, i64, f64, Vec<String>)> {
    // EXPLAIN ANALYZE runs the statement: in a transaction rolled back, so writes leave
    // nothing behind. Through the simple protocol, since the parameters are literals.
    let mut tx = client.transaction()?;
    let msgs = tx
        .simple_query(&format!("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"))
        .with_context(|| format!("pattern {}: EXPLAIN failed for: {sql}", p.name))?;
    tx.rollback()?;
    let text = msgs
        .iter()
        .find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .unwrap_or_default();
    finish_explain(client, p, &text, args, check, model)
}

fn finish_explain(
    client: &mut Client,
    p: &AccessPattern,
    text: &str,
    args: &VerifyArgs,
    check: bool,
    model: &Model,
) -> anyhow::Result<(Vec<String>, i64, f64, Vec<String>)> {
    let json: serde_json::Value = serde_json::from_str(text).context("EXPLAIN's JSON")?;
    let mut sizes: BTreeMap<String, f64> = BTreeMap::new();
    for r in client.query(
        "SELECT c.relname::text, c.reltuples::float8 FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')",
        &[],
    )? {
        sizes.insert(r.get(0), r.get(1));
    }
    let top = &json[0];
    let mut nodes = Vec::new();
    let mut findings = Vec::new();
    let rate = p.rate_per_sec.unwrap_or(1.0);
    let ordered = p.sql.to_ascii_uppercase().contains("ORDER BY");
    walk(&top["Plan"], &mut |n| {
        let kind = n["Node Type"].as_str().unwrap_or("?");
        let mut s = kind.to_string();
        if let Some(i) = n["Index Name"].as_str() {
            s.push_str(&format!(" using {i}"));
        }
        if let Some(r) = n["Relation Name"].as_str() {
            s.push_str(&format!(" on {r}"));
            let rows = sizes.get(r).copied().unwrap_or(0.0);
            if check && kind == "Seq Scan" && rate >= args.min_rate && rows >= args.large as f64 {
                findings.push(format!(
                    "sequential scan of {r} ({rows:.0} rows) at {}",
                    rate_text(rate)
                ));
            }
        }
        // On a small table a scan and a sort is the right plan: only a large one fails.
        let home_rows = model
            .table(&p.table)
            .and_then(|t| sizes.get(&t.name.name))
            .copied()
            .unwrap_or(0.0);
        if check
            && kind == "Sort"
            && ordered
            && rate >= args.min_rate
            && !p.served_by.is_empty()
            && home_rows >= args.large as f64
        {
            findings.push(format!(
                "sorts rows that {} was chosen to order, at {}",
                p.served_by.join(", "),
                rate_text(rate)
            ));
        }
        nodes.push(s);
    });
    let plan = &top["Plan"];
    let buffers = plan["Shared Hit Blocks"].as_i64().unwrap_or(0)
        + plan["Shared Read Blocks"].as_i64().unwrap_or(0);
    let ms = top["Execution Time"].as_f64().unwrap_or(0.0);
    Ok((nodes, buffers, ms, findings))
}

fn walk(node: &serde_json::Value, f: &mut dyn FnMut(&serde_json::Value)) {
    f(node);
    if let Some(children) = node["Plans"].as_array() {
        for c in children {
            walk(c, f);
        }
    }
}

fn rate_text(rate: f64) -> String {
    if rate >= 1.0 {
        format!("{rate:.0}/s")
    } else if rate * 60.0 >= 1.0 {
        format!("{:.0}/min", rate * 60.0)
    } else {
        format!("{:.0}/h", rate * 3600.0)
    }
}

fn mb(bytes: i64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

fn render(ours: &SchemaRun, base: Option<&SchemaRun>, args: &VerifyArgs) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{}: {} rows loaded in {:.1}s ({:.0} rows/s); indexes {}; concurrent mix {:.0}/s ({} clients, {:.0}s)\n",
        ours.schema,
        ours.load_rows,
        ours.load_seconds,
        ours.load_rows as f64 / ours.load_seconds.max(1e-9),
        mb(ours.index_bytes),
        ours.concurrent_tps,
        args.clients,
        args.duration
    ));
    if let Some(b) = base {
        s.push_str(&format!(
            "{}: {} rows loaded in {:.1}s ({:.0} rows/s); indexes {}; concurrent mix {:.0}/s\n",
            b.schema,
            b.load_rows,
            b.load_seconds,
            b.load_rows as f64 / b.load_seconds.max(1e-9),
            mb(b.index_bytes),
            b.concurrent_tps
        ));
    }
    s.push('\n');
    s.push_str(&format!(
        "{:<22} {:>7} {:>9} {:>9} {:>9} {:>8}",
        "pattern", "rate", "p50 ms", "p95 ms", "per s", "buffers"
    ));
    if base.is_some() {
        s.push_str(&format!(
            " {:>9} {:>9} {:>7}",
            "base p50", "base /s", "ratio"
        ));
    }
    s.push_str("  plan\n");
    for (i, p) in ours.patterns.iter().enumerate() {
        s.push_str(&format!(
            "{:<22} {:>7} {:>9.3} {:>9.3} {:>9.0} {:>8}",
            p.pattern,
            rate_text(p.rate),
            p.p50_ms,
            p.p95_ms,
            p.throughput,
            p.buffers
        ));
        if let Some(b) = base.and_then(|b| b.patterns.get(i))
            && b.skipped.is_some()
        {
            s.push_str(&format!(" {:>9} {:>9} {:>7}", "-", "-", "not run"));
        } else if let Some(b) = base.and_then(|b| b.patterns.get(i)) {
            s.push_str(&format!(
                " {:>9.3} {:>9.0} {:>6.2}x",
                b.p50_ms,
                b.throughput,
                b.p50_ms / p.p50_ms.max(1e-9)
            ));
        }
        s.push_str(&format!("  {}\n", p.plan.join(" > ")));
        for f in &p.findings {
            s.push_str(&format!("  FAIL {}: {f}\n", p.pattern));
        }
        if p.errors > 0 {
            s.push_str(&format!(
                "  {} executions of {} failed\n",
                p.errors, p.pattern
            ));
        }
    }
    s.push_str("\nindex sizes:\n");
    for (i, b) in &ours.indexes {
        s.push_str(&format!("  {i:<44} {:>10}\n", mb(*b)));
    }
    if let Some(b) = base {
        s.push_str(&format!(
            "  total {} against {} for {} ({:.2}x)\n",
            mb(ours.index_bytes),
            mb(b.index_bytes),
            b.schema,
            b.index_bytes as f64 / ours.index_bytes.max(1) as f64
        ));
    }
    if !ours.hot.is_empty() {
        s.push_str("HOT updates:\n");
        for (t, (u, h)) in &ours.hot {
            let base_share = base
                .and_then(|b| b.hot.get(t))
                .map(|(bu, bh)| {
                    format!(
                        " (baseline {:.0}%)",
                        100.0 * *bh as f64 / (*bu).max(1) as f64
                    )
                })
                .unwrap_or_default();
            s.push_str(&format!(
                "  {t:<24} {:>5.0}% of {u}{base_share}\n",
                100.0 * *h as f64 / (*u).max(1) as f64
            ));
        }
    }
    let failed = ours
        .patterns
        .iter()
        .filter(|p| !p.findings.is_empty())
        .count();
    s.push_str(&if failed == 0 {
        "\nno pattern at or above the rate threshold scans a large table or sorts what an index orders\n".to_string()
    } else {
        format!("\n{failed} pattern(s) FAIL (see above)\n")
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_substituted_outside_literals() {
        let v = vec!["'a'".to_string(), "2".to_string()];
        assert_eq!(
            substitute("SELECT '$1', x FROM t WHERE a = $1 LIMIT $2", &v),
            "SELECT '$1', x FROM t WHERE a = 'a' LIMIT 2"
        );
        assert_eq!(max_param("SELECT 1 WHERE a = $12 AND b = $3"), 12);
    }

    #[test]
    fn tokens_keep_comparisons() {
        let t = tokenize("WHERE t.user_id = $1 AND due_date <= $2");
        assert!(t.windows(3).any(|w| w == ["t.user_id", "=", "$1"]), "{t:?}");
        assert!(t.windows(3).any(|w| w == ["due_date", "<=", "$2"]), "{t:?}");
    }
}

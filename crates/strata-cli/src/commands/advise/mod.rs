//! `strata advise URL|SRC`: the indexes an existing database should add and drop for its
//! workload, each priced by the planner with hypothetical indexes. See docs/advise.md.
//!
//! 1. **The database**: URL's (read, never written: see [`whatif`]), or for a `.strata` SRC a
//!    throwaway server with the design applied and seeded at its declared rows.
//! 2. **The workload**: the access patterns of SRC (or of `--workload SRC` beside a URL) with
//!    their rates, and the top statements of `pg_stat_statements` by total time, each at
//!    `calls` per second since the statistics were reset.
//! 3. **Candidates**: the workload stage (`strata_workload::select`) chooses indexes for the
//!    whole workload over the database's own, with the live row counts.
//! 4. **What-if**: every statement's generic plan is costed, then each candidate is created
//!    hypothetically and kept when a statement whose plan uses it gets at least `--min-gain`
//!    cheaper.
//! 5. **Drops**: an index another one serves (the `duplicate-index` / `redundant-index`
//!    lint rules' test, with the additions counted), or one no plan of the workload uses and
//!    the server's statistics never saw scanned; never a constraint's index, a unique index
//!    or the only index of a foreign key.

mod render;
mod whatif;

use std::path::PathBuf;

use std::collections::BTreeMap;

use anyhow::{Context as _, bail};
use clap::Args;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use strata_model::{AccessPattern, Index, Model, QualifiedName, Table};
use strata_pg::postgres::Client;
use strata_seed::Sizing;
use strata_workload::{Analysis, CostParams, StatementKind, Workload};

use crate::connect::{self, Session};
use crate::source::{self, SourceKind, SourceOptions};
use crate::{EXIT_ERROR, Format, output};
use whatif::{Cost, WhatIf};

#[derive(Args)]
pub struct AdviseArgs {
    /// The database (a URL) or a `.strata` design, which is built and seeded on a throwaway
    /// server.
    pub target: String,
    /// Access patterns to cost beside a URL: a `.strata` file or folder whose tables the
    /// database has.
    #[arg(long, value_name = "SRC")]
    pub workload: Option<String>,
    /// Do not read `pg_stat_statements` (by default its top statements join the workload
    /// when the view exists).
    #[arg(long)]
    pub no_statements: bool,
    /// How many statements of `pg_stat_statements` to take, by total execution time.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// An index is proposed only when it makes a statement at least this much cheaper
    /// (0.1 = 10 %).
    #[arg(long, default_value_t = 0.1)]
    pub min_gain: f64,
    /// With a `.strata` design: multiply every declared row count.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// With a `.strata` design: exact rows of one table, `table=N` (repeatable).
    #[arg(long, value_name = "TABLE=N", value_parser = super::verify::parse_rows)]
    pub rows: Vec<(String, u64)>,
    /// With a `.strata` design: the random seed of the data.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write the proposal as the next migration of this folder (`CREATE INDEX CONCURRENTLY`,
    /// `DROP INDEX CONCURRENTLY`), as `strata migrate new` writes one.
    #[arg(long, value_name = "DIR")]
    pub emit_migration: Option<PathBuf>,
    /// The emitted migration's name.
    #[arg(long, default_value = "advise_indexes")]
    pub name: String,
    /// `human` (a report) or `json` (one object, for scripts).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// One statement of the workload.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Statement {
    pub name: String,
    /// `pattern` or `pg_stat_statements`.
    pub source: &'static str,
    pub sql: String,
    /// Executions per second.
    pub rate: f64,
    /// The generic plan's cost without and with the proposal.
    pub cost_before: f64,
    pub cost_after: f64,
    #[serde(skip)]
    table: QualifiedName,
    #[serde(skip)]
    analysis: Analysis,
    #[serde(skip)]
    before: Cost,
    #[serde(skip)]
    after: Cost,
}

/// A statement's cost before and after one proposal.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PatternCost {
    pub statement: String,
    pub rate: f64,
    pub before: f64,
    /// `None` when it cannot be priced without the index (hypopg 1.3 cannot hide one): the
    /// index named in `by` serves it then.
    pub after: Option<f64>,
}

/// A write statement that maintains an index.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Write {
    pub statement: String,
    pub rate: f64,
    /// `insert`, `update` or `delete`.
    pub kind: &'static str,
    /// An UPDATE that writes one of the index's columns: no longer HOT for an addition, HOT
    /// again (if no other index has them) for a drop.
    pub changes_hot: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Addition {
    pub table: String,
    pub name: String,
    /// The statement the migration runs.
    pub sql: String,
    /// hypopg's estimate of its size.
    pub bytes: i64,
    pub patterns: Vec<PatternCost>,
    /// Rate-weighted cost saved per second (planner units).
    pub benefit: f64,
    /// Rows per second the index must take in (inserts and updates of its columns).
    pub writes_per_sec: f64,
    pub writes: Vec<Write>,
    #[serde(skip)]
    index: Index,
    #[serde(skip)]
    table_name: QualifiedName,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Removal {
    pub table: String,
    pub name: String,
    /// `duplicate`, `covered` or `unused`.
    pub reason: &'static str,
    /// The index that serves its queries (duplicate, covered).
    pub by: Option<String>,
    pub sql: String,
    pub bytes: i64,
    /// Scans the server counted since its statistics were reset.
    pub scans: i64,
    pub patterns: Vec<PatternCost>,
    pub writes_per_sec: f64,
    pub writes: Vec<Write>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Advice {
    /// The database (password hidden) or the design.
    pub target: String,
    /// `database` or `throwaway copy`.
    pub on: &'static str,
    pub statements: Vec<Statement>,
    pub add: Vec<Addition>,
    pub drop: Vec<Removal>,
    /// Statements left out, and why.
    pub skipped: Vec<String>,
    pub notes: Vec<String>,
    /// What the server counted written to each table with a proposal, per second over the
    /// statistics' period (a URL only): the write load beyond the workload's statements.
    pub table_writes: BTreeMap<String, TableWrites>,
    /// Seconds the server's statistics cover (since their reset or the server's start): the
    /// evidence behind `scans`.
    pub statistics_seconds: i64,
}

/// Rows per second written to a table, from `pg_stat_user_tables`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TableWrites {
    pub inserts: f64,
    pub updates: f64,
    /// Of the updates, those that were HOT (no index entry written).
    pub hot_updates: f64,
    pub deletes: f64,
}

/// An index of the database as the catalog has it.
struct Existing {
    table: QualifiedName,
    name: String,
    /// Unique, or backs a constraint, or the replica identity: never proposed for drop.
    required: bool,
    /// Valid and not partitioned (a partition's index cannot be dropped alone).
    droppable: bool,
    bytes: i64,
    scans: i64,
}

pub fn run(args: AdviseArgs, dev_url: Option<&str>, color: bool) -> anyhow::Result<u8> {
    let opts = SourceOptions {
        dev_url: dev_url.map(str::to_string),
        ..Default::default()
    };
    let load_patterns = |src: &str| -> anyhow::Result<Option<Vec<AccessPattern>>> {
        let loaded = source::load(src, &opts)?;
        super::report_human(&loaded.diagnostics, &loaded.sources, color);
        if loaded.has_errors() {
            return Ok(None);
        }
        Ok(Some(loaded.model.access_patterns))
    };
    let workload = match &args.workload {
        Some(w) => match load_patterns(w)? {
            Some(p) => Some(p),
            None => {
                output::stderr("nothing was advised: fix the workload's errors above\n");
                return Ok(EXIT_ERROR);
            }
        },
        None => None,
    };
    if source::is_database(&args.target) {
        let mut connected = connect::connect(Some(&args.target), Session::NotNeeded)?;
        let target = connected.info.redacted();
        let advice = advise(
            &mut connected.client,
            target,
            "database",
            workload.unwrap_or_default(),
            &args,
        )?;
        finish(&args, &advice, &mut connected.client, &args.target)
    } else {
        let loaded = source::load(&args.target, &opts)?;
        super::report_human(&loaded.diagnostics, &loaded.sources, color);
        if loaded.has_errors() {
            output::stderr("nothing was advised: fix the errors above\n");
            return Ok(EXIT_ERROR);
        }
        if loaded.kind != SourceKind::Strata {
            bail!(
                "{} is an SQL file: advise needs a database URL, or a .strata design to build and seed on a throwaway server",
                args.target
            );
        }
        let patterns = workload.unwrap_or_else(|| loaded.model.access_patterns.clone());
        let cluster = strata_pg::Cluster::start()
            .context("could not start a throwaway PostgreSQL cluster")?;
        let db = cluster.create_database()?;
        let mut client = cluster.connect(&db)?;
        super::verify::build_and_seed(
            &mut client,
            &args.target,
            &loaded.model,
            &Sizing {
                scale: args.scale,
                rows: args.rows.clone(),
                seed: args.seed,
                now: None,
            },
        )?;
        let advice = advise(
            &mut client,
            args.target.clone(),
            "throwaway copy",
            patterns,
            &args,
        )?;
        finish(&args, &advice, &mut client, &args.target)
    }
}

fn finish(
    args: &AdviseArgs,
    advice: &Advice,
    client: &mut Client,
    src: &str,
) -> anyhow::Result<u8> {
    match args.format {
        Format::Json => output::stdout(&format!("{}\n", serde_json::to_string_pretty(advice)?))?,
        Format::Human => output::stdout(&render::human(advice))?,
    }
    if let Some(dir) = &args.emit_migration {
        emit(dir, &args.name, advice, client, src)?;
    }
    Ok(0)
}

/// The whole advice on the database `client` is connected to.
pub fn advise(
    client: &mut Client,
    target: String,
    on: &'static str,
    patterns: Vec<AccessPattern>,
    args: &AdviseArgs,
) -> anyhow::Result<Advice> {
    let mut model = super::migrate_new::introspect(client)?;
    let mut notes = Vec::new();
    // The workload stage sizes tables by their declared rows: here, the server's counts.
    for row in client.query(
        "SELECT n.nspname::text, c.relname::text, greatest(c.reltuples, 0)::float8 FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')",
        &[],
    )? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        if let Some(t) = model.tables.iter_mut().find(|t| t.name == name) {
            t.origin.row_estimate = Some(row.get::<_, f64>(2) as u64);
        }
    }
    let mut skipped = Vec::new();
    let mut statements = Vec::new();
    for p in &patterns {
        let rate = p.rate_per_sec.unwrap_or(1.0);
        if p.rate_per_sec.is_none() {
            notes.push(format!("pattern `{}`: rate 1/s (none declared)", p.name));
        }
        match analysed(&p.sql, &p.table, &model) {
            Ok(a) => statements.push(statement(
                p.name.clone(),
                "pattern",
                &p.sql,
                rate,
                p.table.clone(),
                a,
            )),
            Err(why) => skipped.push(format!("pattern `{}`: {why}", p.name)),
        }
    }
    if !args.no_statements {
        read_statements(
            client,
            &model,
            args.top,
            &mut statements,
            &mut skipped,
            &mut notes,
        )?;
    }
    let (existing, stats_seconds) = existing(client)?;

    let mut wi = WhatIf::begin(client)?;
    let mut kept = Vec::new();
    for mut s in statements {
        match wi.cost(&s.sql)? {
            Ok(c) => {
                s.before = c.clone();
                s.after = c;
                kept.push(s);
            }
            Err(why) => skipped.push(format!(
                "{} `{}`: the server could not plan it: {why}",
                s.source, s.name
            )),
        }
    }
    let mut statements = kept;

    // Candidates: what the workload stage chooses over the database's own indexes.
    let w = Workload {
        patterns: statements
            .iter()
            .map(|s| strata_workload::Pattern {
                name: s.name.clone(),
                home: s.table.clone(),
                rate: s.rate,
                rate_declared: true,
                analysis: s.analysis.clone(),
            })
            .collect(),
        ..Default::default()
    };
    let selection = strata_workload::select(&model, &w, &CostParams::default());
    let mut used_names: Vec<String> = existing.iter().map(|e| e.name.clone()).collect();
    let mut add = Vec::new();
    for t in &selection.tables {
        for c in &t.chosen {
            if !matches!(
                c.origin,
                strata_workload::candidates::Origin::Pattern(_)
                    | strata_workload::candidates::Origin::Derived(_)
            ) {
                continue;
            }
            let hypo = wi.create(&t.table, &c.index)?;
            let mut with = Vec::with_capacity(statements.len());
            for s in &statements {
                with.push(wi.cost(&s.sql)?.ok());
            }
            let gains = statements.iter().zip(&with).any(|(s, w)| {
                w.as_ref().is_some_and(|w| {
                    w.indexes.contains(&hypo.name)
                        && w.total <= s.after.total * (1.0 - args.min_gain)
                })
            });
            if !gains {
                wi.drop(&hypo)?;
                continue;
            }
            for (s, w) in statements.iter_mut().zip(with) {
                if let Some(w) = w {
                    s.after = w;
                }
            }
            let mut index = c.index.clone();
            let mut name = index.name.clone();
            let mut k = 2;
            while used_names.contains(&name) {
                name = format!("{}_{k}", index.name);
                k += 1;
            }
            used_names.push(name.clone());
            index.name = name;
            add.push((hypo, t.table.clone(), index));
        }
    }
    // Per-pattern costs, now that every addition is in place.
    let additions: Vec<Addition> = add
        .iter()
        .map(|(hypo, table, index)| {
            let patterns: Vec<PatternCost> = statements
                .iter()
                .filter(|s| s.after.indexes.contains(&hypo.name))
                .map(|s| PatternCost {
                    statement: s.name.clone(),
                    rate: s.rate,
                    before: s.before.total,
                    after: Some(s.after.total),
                })
                .collect();
            let benefit = patterns
                .iter()
                .map(|p| p.rate * (p.before - p.after.unwrap_or(p.before)))
                .sum();
            let (writes, writes_per_sec) = writes(&statements, &model, table, index, &[]);
            let concurrent = strata_sql::render_index(table, index)
                .trim_end()
                .trim_end_matches(';')
                .replacen(" INDEX ", " INDEX CONCURRENTLY ", 1);
            Addition {
                table: table.to_string(),
                name: index.name.clone(),
                sql: concurrent,
                bytes: hypo.bytes,
                patterns,
                benefit,
                writes_per_sec,
                writes,
                index: index.clone(),
                table_name: table.clone(),
            }
        })
        .collect();
    wi.finish()?;
    for s in &mut statements {
        s.cost_before = s.before.total;
        s.cost_after = s.after.total;
    }
    let drop = removals(
        &model,
        &existing,
        &statements,
        &additions,
        on == "database",
        &mut notes,
    );
    let mut table_writes = BTreeMap::new();
    if on == "database" {
        let tables: Vec<String> = additions
            .iter()
            .map(|a| a.table.clone())
            .chain(drop.iter().map(|d| d.table.clone()))
            .collect();
        let period = stats_seconds.max(1) as f64;
        for r in client.query(
            "SELECT schemaname || '.' || relname, n_tup_ins::float8, n_tup_upd::float8, \
                    n_tup_hot_upd::float8, n_tup_del::float8 FROM pg_stat_user_tables",
            &[],
        )? {
            let name: String = r.get(0);
            if tables.contains(&name) {
                let per = |i: usize| r.get::<_, f64>(i) / period;
                table_writes.insert(
                    name,
                    TableWrites {
                        inserts: per(1),
                        updates: per(2),
                        hot_updates: per(3),
                        deletes: per(4),
                    },
                );
            }
        }
    }
    Ok(Advice {
        target,
        on,
        statements,
        add: additions,
        drop,
        skipped,
        notes,
        table_writes,
        statistics_seconds: stats_seconds,
    })
}

fn statement(
    name: String,
    source: &'static str,
    sql: &str,
    rate: f64,
    table: QualifiedName,
    analysis: Analysis,
) -> Statement {
    let none = Cost {
        total: 0.0,
        indexes: Vec::new(),
    };
    Statement {
        name,
        source,
        sql: sql.trim().trim_end_matches(';').to_string(),
        rate,
        cost_before: 0.0,
        cost_after: 0.0,
        table,
        analysis,
        before: none.clone(),
        after: none,
    }
}

/// The workload stage's reading of one statement.
fn analysed(sql: &str, home: &QualifiedName, model: &Model) -> Result<Analysis, String> {
    let statements = Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(50)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| format!("does not parse: {e}"))?;
    let [statement] = statements.as_slice() else {
        return Err("is not one statement".into());
    };
    strata_workload::analyze(statement, home, model).map_err(|e| match e {
        strata_workload::AnalyzeError::UnknownTable { name, .. } => {
            format!("table `{name}` is not in the database")
        }
        e => e.to_string(),
    })
}

/// The top statements of `pg_stat_statements` by total time, when the view exists: each
/// at its calls per second since the statistics were reset (or the server started).
fn read_statements(
    client: &mut Client,
    model: &Model,
    top: usize,
    out: &mut Vec<Statement>,
    skipped: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> anyhow::Result<()> {
    let schema: Option<String> = client
        .query_opt(
            "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
             WHERE e.extname = 'pg_stat_statements'",
            &[],
        )?
        .map(|r| r.get(0));
    let Some(schema) = schema else {
        notes.push("pg_stat_statements is not installed in this database: the workload is the access patterns only".into());
        return Ok(());
    };
    let s = strata_model::quote_ident(&schema);
    let since: f64 = client
        .query_one(
            &format!(
                "SELECT greatest(extract(epoch FROM now() - coalesce((SELECT stats_reset FROM {s}.pg_stat_statements_info), pg_postmaster_start_time())), 1)::float8"
            ),
            &[],
        )
        .map(|r| r.get(0))
        .unwrap_or(1.0);
    let rows = match client.query(
        &format!(
            "SELECT queryid::text, query, calls::float8 FROM {s}.pg_stat_statements \
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND toplevel AND query ~* '^\\s*(select|insert|update|delete|with)\\M' \
             AND query !~* 'pg_catalog|information_schema|pg_stat_statements|hypopg' \
             ORDER BY total_exec_time DESC LIMIT $1"
        ),
        &[&(top as i64)],
    ) {
        Ok(rows) => rows,
        Err(e) => {
            notes.push(format!(
                "pg_stat_statements could not be read ({}): the workload is the access patterns only",
                e.as_db_error().map(|d| d.message().to_string()).unwrap_or_else(|| e.to_string())
            ));
            return Ok(());
        }
    };
    let mut catalog = 0;
    for r in rows {
        let id: String = r.get(0);
        let sql: String = r.get(1);
        let calls: f64 = r.get(2);
        let name = format!("query {id}");
        // Names resolve in `public` first, then any schema.
        match analysed(&sql, &QualifiedName::public(""), model) {
            Ok(a) => {
                let table = a.driving.table.clone();
                out.push(statement(
                    name,
                    "pg_stat_statements",
                    &sql,
                    calls / since,
                    table,
                    a,
                ));
            }
            // The server's own catalogs are read by tools (this one too), not the application.
            Err(why) if why.contains("table `pg_") || why.contains("table `information_schema") => {
                catalog += 1;
            }
            Err(why) => skipped.push(format!("pg_stat_statements `{name}`: {why}")),
        }
    }
    if catalog > 0 {
        notes.push(format!(
            "{catalog} statement(s) of pg_stat_statements read only system catalogs and were left out"
        ));
    }
    Ok(())
}

/// The database's indexes, read as the `unused-index` lint rule reads them; and how long its
/// statistics cover.
fn existing(client: &mut Client) -> anyhow::Result<(Vec<Existing>, i64)> {
    let h = strata_lint::health::collect_indexes(client)?;
    let list = h
        .indexes
        .into_iter()
        .map(|i| Existing {
            table: QualifiedName::new(i.schema, i.table),
            name: i.name,
            required: i.required,
            droppable: !i.partitioned && i.valid,
            bytes: i.size_bytes,
            scans: i.scans,
        })
        .collect();
    Ok((list, h.stats_seconds))
}

/// Every column an index stores or tests.
fn index_columns(table: &Table, index: &Index) -> Vec<String> {
    strata_workload::candidates::existing(index, table).columns(table)
}

/// The write statements of `table` that maintain `index`, and the rows per second it takes
/// in. `others` are the table's other indexes (an UPDATE stays HOT only when none has a
/// column it writes).
fn writes(
    statements: &[Statement],
    model: &Model,
    table: &QualifiedName,
    index: &Index,
    others: &[Index],
) -> (Vec<Write>, f64) {
    let Some(t) = model.table(table) else {
        return (Vec::new(), 0.0);
    };
    let cols = index_columns(t, index);
    let mut out = Vec::new();
    let mut per_sec = 0.0;
    for s in statements
        .iter()
        .filter(|s| &s.analysis.driving.table == table)
    {
        let (kind, touches, changes_hot) = match &s.analysis.kind {
            StatementKind::Select => continue,
            StatementKind::Insert { rows } => {
                per_sec += s.rate * (*rows).max(1) as f64;
                ("insert", true, false)
            }
            StatementKind::Update { set } => {
                let mine = set.iter().any(|c| cols.contains(c));
                let elsewhere = t
                    .indexes
                    .iter()
                    .chain(others)
                    .filter(|i| i.name != index.name)
                    .any(|i| index_columns(t, i).iter().any(|c| set.contains(c)));
                if mine {
                    per_sec += s.rate;
                }
                ("update", mine, mine && !elsewhere)
            }
            StatementKind::Delete => ("delete", true, false),
        };
        if touches {
            out.push(Write {
                statement: s.name.clone(),
                rate: s.rate,
                kind,
                changes_hot,
            });
        }
    }
    (out, per_sec)
}

/// The indexes to drop.
fn removals(
    model: &Model,
    existing: &[Existing],
    statements: &[Statement],
    additions: &[Addition],
    live: bool,
    notes: &mut Vec<String>,
) -> Vec<Removal> {
    // The model as it would be with the additions: what serves what is decided there.
    let mut after = model.clone();
    for a in additions {
        if let Some(t) = after.tables.iter_mut().find(|t| t.name == a.table_name) {
            t.indexes.push(a.index.clone());
        }
    }
    let mut out: Vec<Removal> = Vec::new();
    let mut quiet_tables: Vec<String> = Vec::new();
    for t in after.tables.iter().filter(|t| t.partition_of.is_none()) {
        let all = strata_lint::table_indexes(t);
        // Keepers first: constraints, then additions, then by name (as `duplicate-index`).
        let added = |n: &str| {
            additions
                .iter()
                .any(|a| a.table_name == t.name && a.index.name == n)
        };
        let mut order: Vec<&(Index, bool)> = all.iter().collect();
        order.sort_by_key(|(i, c)| (!c, !added(&i.name), i.name.clone()));
        let mut dropped: Vec<String> = Vec::new();
        let read_by_workload = statements.iter().any(|s| {
            s.analysis.driving.table == t.name
                || s.analysis.probes.iter().any(|p| p.table == t.name)
        });
        // Duplicates and covered indexes first, so an unused index that duplicates another
        // is named as a duplicate.
        for (pass, (pos, (a, constraint))) in [0, 1]
            .into_iter()
            .flat_map(|pass| order.iter().enumerate().map(move |x| (pass, x)))
        {
            if *constraint || added(&a.name) || dropped.contains(&a.name) {
                continue;
            }
            let Some(e) = existing
                .iter()
                .find(|e| e.table == t.name && e.name == a.name)
            else {
                continue;
            };
            if e.required || !e.droppable {
                continue;
            }
            let others: Vec<&Index> = order
                .iter()
                .filter(|(b, _)| b.name != a.name && !dropped.contains(&b.name))
                .map(|(b, _)| b)
                .collect();
            let dup = order[..pos]
                .iter()
                .find(|(b, _)| !dropped.contains(&b.name) && strata_lint::identical(a, b))
                .map(|(b, _)| b.name.clone());
            let covered = || {
                others
                    .iter()
                    .filter(|b| strata_lint::serves(b, a) && !strata_lint::identical(a, b))
                    .max_by_key(|b| (b.keys.len(), b.predicate.is_none(), b.include.len()))
                    .map(|b| b.name.clone())
            };
            // A plan that reads a dropped twin or covered index is this one's when it is
            // the keeper.
            let handed: Vec<&str> = out
                .iter()
                .filter(|d| {
                    d.table == t.name.to_string() && d.by.as_deref() == Some(a.name.as_str())
                })
                .map(|d| d.name.as_str())
                .collect();
            let uses: Vec<&Statement> = statements
                .iter()
                .filter(|s| {
                    s.after.indexes.contains(&a.name)
                        || handed
                            .iter()
                            .any(|h| s.after.indexes.iter().any(|i| i == h))
                })
                .collect();
            let (reason, by) = if let Some(b) = dup {
                ("duplicate", Some(b))
            } else if let Some(b) = covered() {
                ("covered", Some(b))
            } else if pass == 0 {
                continue;
            } else if uses.is_empty() && read_by_workload && (!live || e.scans == 0) {
                // The only index led by a foreign key's columns serves the referenced
                // table's deletes and key updates: kept.
                let fk = t.foreign_keys.iter().find(|fk| {
                    let lead: Vec<&str> = a
                        .keys
                        .iter()
                        .take(fk.columns.len())
                        .filter_map(|k| k.column_name())
                        .collect();
                    lead.len() == fk.columns.len()
                        && lead.iter().zip(&fk.columns).all(|(x, y)| *x == y)
                        && !others.iter().any(|b| {
                            b.predicate.is_none()
                                && b.keys.len() >= fk.columns.len()
                                && b.keys
                                    .iter()
                                    .zip(&fk.columns)
                                    .all(|(k, c)| k.column_name() == Some(c.as_str()))
                        })
                });
                if let Some(fk) = fk {
                    notes.push(format!(
                        "{} is used by no statement of the workload but is kept: it is the index of the foreign key {}",
                        a.name, fk.name
                    ));
                    continue;
                }
                ("unused", None)
            } else {
                if uses.is_empty() && !read_by_workload && !quiet_tables.contains(&t.name.name) {
                    quiet_tables.push(t.name.name.clone());
                }
                continue;
            };
            dropped.push(a.name.clone());
            let (writes, writes_per_sec) = writes(statements, model, &t.name, a, &[]);
            out.push(Removal {
                table: t.name.to_string(),
                name: a.name.clone(),
                reason,
                sql: format!(
                    "DROP INDEX CONCURRENTLY {}",
                    QualifiedName::new(t.name.schema.clone(), a.name.clone()).quoted()
                ),
                by,
                bytes: e.bytes,
                scans: e.scans,
                patterns: uses
                    .iter()
                    .map(|s| PatternCost {
                        statement: s.name.clone(),
                        rate: s.rate,
                        before: s.after.total,
                        after: None,
                    })
                    .collect(),
                writes_per_sec,
                writes,
            });
        }
    }
    if !quiet_tables.is_empty() {
        notes.push(format!(
            "no statement of the workload reads {}: unused indexes there are left alone",
            quiet_tables.join(", ")
        ));
    }
    out
}

/// Writes the advice as the next migration of `dir`, planned by `strata_diff` from the
/// database's model to the model with the advice applied, as `strata migrate new` writes.
fn emit(
    dir: &std::path::Path,
    name: &str,
    advice: &Advice,
    client: &mut Client,
    src: &str,
) -> anyhow::Result<()> {
    if advice.add.is_empty() && advice.drop.is_empty() {
        output::info("nothing to advise: no migration was written\n");
        return Ok(());
    }
    let from = super::migrate_new::introspect(client)?;
    let mut to = from.clone();
    for t in &mut to.tables {
        let table = t.name.to_string();
        t.indexes.retain(|i| {
            !advice
                .drop
                .iter()
                .any(|d| d.table == table && d.name == i.name)
        });
        for a in advice.add.iter().filter(|a| a.table == table) {
            t.indexes.push(a.index.clone());
        }
    }
    let plan = strata_diff::plan(&from, &to, &strata_diff::PlanOptions::default())?;
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the migrations folder {}", dir.display()))?;
    }
    let folder = super::migrate::read_verified(dir)?;
    super::migrate_new::write_sql(
        dir,
        &folder,
        name,
        &format!("`strata advise` on {}", source::describe(src)),
        &plan,
        &[],
    )?;
    Ok(())
}

/// Totals for the human report.
pub fn weighted(statements: &[Statement]) -> (f64, f64) {
    statements.iter().fold((0.0, 0.0), |(b, a), s| {
        (b + s.rate * s.cost_before, a + s.rate * s.cost_after)
    })
}

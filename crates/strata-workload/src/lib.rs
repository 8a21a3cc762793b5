//! The workload stage: a model and its workload in, the chosen indexes with their reasons out.
//!
//! * [`analyze`] reads one statement (an access pattern's SQL, a statement from
//!   `pg_stat_statements`) into what it asks of each table.
//! * [`Workload`] holds the patterns with their rates, statistics hints and the documented
//!   [`Defaults`] used where the design declares nothing.
//! * [`select`] proposes candidates (per pattern, leaner variants, merges), costs every access
//!   and write with the [`cost`] model, and chooses each table's indexes for the whole
//!   workload ([`select::Problem::solve`]); [`Selection::apply`] writes the choice into a model.
//!
//! Everything here is deterministic and offline: no server is needed.

pub mod analyze;
pub mod candidates;
pub mod cost;
pub mod profile;
mod redundancy;
pub mod report;
pub mod select;
mod workload;

pub use analyze::{Analysis, AnalyzeError, StatementKind, analyze};
pub use cost::CostParams;
pub use report::{ChosenIndex, Finding, PatternPlan, RejectedIndex, Selection, TableReport};
pub use select::Method;
pub use workload::{Defaults, Hint, HintKind, Pattern, Workload};

use std::collections::{HashMap, HashSet};

use strata_model::{Model, QualifiedName, Table, Why, WhySource};

use candidates::{Candidate, Origin};
use profile::Profile;
use select::{Problem, WriteKind, WriteRow};

/// Chooses every table's indexes for the workload. The model's existing indexes are the
/// starting point: declared and feature indexes are pinned, foreign-key indexes are
/// candidates that some chosen index must replace or keep.
pub fn select(model: &Model, w: &Workload, params: &CostParams) -> Selection {
    let mut out = Selection::default();
    for p in &w.patterns {
        if !p.rate_declared {
            out.defaults_used.push(format!(
                "pattern `{}`: rate {} (none declared)",
                p.name,
                report::rate_text(p.rate)
            ));
        }
    }
    // Look-ups by table, built once: a schema of thousands of tables must not scan every
    // pattern, table and setting once per table.
    let mut by_table: HashMap<&QualifiedName, Vec<Pattern>> = HashMap::new();
    for p in &w.patterns {
        let a = &p.analysis;
        let mut tables: Vec<&QualifiedName> = vec![&a.driving.table];
        for probe in &a.probes {
            if !tables.contains(&&probe.table) {
                tables.push(&probe.table);
            }
        }
        for t in tables {
            by_table.entry(t).or_default().push(p.clone());
        }
    }
    let mut always: HashMap<&QualifiedName, Vec<String>> = HashMap::new();
    for (t, c) in &w.always_updated {
        always.entry(t).or_default().push(c.clone());
    }
    let keep_all: HashSet<&QualifiedName> = w.keep_all.iter().collect();
    let tables: HashMap<&QualifiedName, &Table> =
        model.tables.iter().map(|t| (&t.name, t)).collect();
    let none: Vec<Pattern> = Vec::new();
    for table in &model.tables {
        if table.partition_of.is_some() {
            continue;
        }
        let patterns = by_table.get(&table.name).unwrap_or(&none);
        if table.indexes.is_empty() && patterns.is_empty() {
            continue;
        }
        let cx = TableCx {
            patterns,
            always_updated: always.get(&table.name).map(Vec::as_slice).unwrap_or(&[]),
            keep_all: keep_all.contains(&table.name),
            tables: &tables,
        };
        let report = select_table(model, table, w, params, &cx);
        for d in &report.defaults_used {
            out.defaults_used.push(format!("{}: {d}", table.name.name));
        }
        out.tables.push(report);
    }
    out
}

/// What one table's selection needs from the whole schema.
struct TableCx<'a> {
    /// The patterns that touch the table.
    patterns: &'a [Pattern],
    always_updated: &'a [String],
    keep_all: bool,
    tables: &'a HashMap<&'a QualifiedName, &'a Table>,
}

fn select_table(
    model: &Model,
    table: &Table,
    w: &Workload,
    params: &CostParams,
    tcx: &TableCx<'_>,
) -> TableReport {
    let mut profile = Profile::build(model, table, w, &|n| tcx.tables.get(n).copied());
    let patterns = tcx.patterns;
    let mut defaults_used = profile.defaults_used.clone();
    let keep_all = tcx.keep_all;

    // The key constraints' own indexes.
    let mut keys: Vec<Candidate> = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push(candidates::key(&pk.name, &pk.columns, table));
    }
    for u in &table.uniques {
        keys.push(candidates::key(&u.name, &u.columns, table));
    }
    let existing: Vec<Candidate> = table
        .indexes
        .iter()
        .map(|i| candidates::existing(i, table))
        .collect();
    let (pinned, fk): (Vec<Candidate>, Vec<Candidate>) = existing
        .into_iter()
        .partition(|c| c.origin == Origin::Pinned);
    let mut findings = Vec::new();
    let pinned = if keep_all {
        pinned
    } else {
        redundancy::prune_pinned(table, pinned, &keys, &mut findings)
    };
    // What a key's own index already does (`WHERE id = $1`) needs no candidate.
    let base: Vec<Candidate> = candidates::per_pattern(patterns, table)
        .into_iter()
        .filter(|c| !redundancy::is_lone_boolean(table, &c.index))
        .filter(|c| !keys.iter().any(|k| redundancy::covers(&k.index, &c.index)))
        .collect();

    // Keys, pinned and foreign-key indexes are all kept as they are (a declared index equal
    // to a key stays when pruning is off); proposals equal to one of them are dropped.
    let mut all: Vec<Candidate> = keys.iter().chain(&pinned).chain(&fk).cloned().collect();
    let push = |c: Candidate, all: &mut Vec<Candidate>| {
        if !all.iter().any(|x| x.same_as(&c)) {
            all.push(c);
        }
    };
    for c in base.iter().cloned() {
        push(c, &mut all);
    }
    if !keep_all {
        let written: Vec<String> = patterns
            .iter()
            .filter(|p| p.analysis.driving.table == table.name)
            .filter_map(|p| match &p.analysis.kind {
                StatementKind::Update { set } => Some(set.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        for c in candidates::derived(&base, table, &written) {
            push(c, &mut all);
        }
    }
    // Whether the table is read from memory: its heap and the indexes its patterns want.
    let natural: f64 = all
        .iter()
        .filter(|c| !matches!(c.origin, Origin::Derived(_)))
        .map(|c| cost::index_pages(&profile, c))
        .sum();
    (profile.random_cost, profile.seq_cost) = params.page_costs(profile.heap_pages + natural);
    let forced: Vec<bool> = all
        .iter()
        .map(|c| c.pinned() || (keep_all && !matches!(c.origin, Origin::Derived(_))))
        .collect();

    // Writes: declared ones come from the patterns; a table without an INSERT pattern fills
    // to its rows over the default period.
    let mut extra = Vec::new();
    let declared_insert = patterns.iter().any(|p| {
        p.analysis.driving.table == table.name
            && matches!(p.analysis.kind, StatementKind::Insert { .. })
    });
    if !declared_insert {
        let rows = profile.rows / (w.defaults.fill_days * 86_400.0);
        defaults_used.push(format!(
            "inserts {} (rows over {} days; no INSERT pattern declared)",
            report::rate_text(rows),
            w.defaults.fill_days
        ));
        extra.push(WriteRow {
            pattern: None,
            rows,
            kind: WriteKind::Insert,
        });
    }
    let always = tcx.always_updated;
    let hinted: Vec<String> = w
        .hints
        .iter()
        .filter(|h| h.table == table.name && h.kind == HintKind::RangeShare)
        .map(|h| h.column.clone())
        .collect();
    let cx = select::Context {
        profile: &profile,
        table,
        patterns,
        always_updated: always,
        hinted: &hinted,
        params,
        defaults: &w.defaults,
    };
    let problem = Problem::build(&cx, all, forced, extra);
    let (set, method) = if keep_all {
        (vec![false; problem.candidates.len()], Method::KeepAll)
    } else {
        problem.solve()
    };
    build_report(
        table,
        &profile,
        patterns,
        &problem,
        &set,
        method,
        findings,
        defaults_used,
    )
}

#[allow(clippy::too_many_arguments)]
fn build_report(
    table: &Table,
    profile: &Profile,
    patterns: &[Pattern],
    problem: &Problem,
    set: &[bool],
    method: Method,
    findings: Vec<Finding>,
    defaults_used: Vec<String>,
) -> TableReport {
    let n = problem.candidates.len();
    let on = |i: usize| set[i] || problem.forced[i];
    let totals = problem.evaluate(set);
    let plans = problem.best_plans(set);
    let mut serves: Vec<Vec<String>> = vec![Vec::new(); n];
    for (r, (idx, _)) in problem.reads.iter().zip(&plans) {
        if let Some(i) = idx {
            let name = &patterns[r.pattern].name;
            if !serves[*i].contains(name) {
                serves[*i].push(name.clone());
            }
        }
    }
    let mut usable: Vec<Vec<String>> = vec![Vec::new(); n];
    for r in &problem.reads {
        for i in (0..n).filter(|&i| on(i)) {
            if r.through[i].is_some_and(|p| p.cost < r.scan.cost) {
                let name = &patterns[r.pattern].name;
                if !usable[i].contains(name) {
                    usable[i].push(name.clone());
                }
            }
        }
    }
    // (declaring table, name) of the patterns each serves: best plans first.
    let mut refs: Vec<Vec<(QualifiedName, String, bool)>> = vec![Vec::new(); n];
    for best in [true, false] {
        for (r, (idx, _)) in problem.reads.iter().zip(&plans) {
            let p = &patterns[r.pattern];
            for i in (0..n).filter(|&i| on(i)) {
                let uses = if best {
                    *idx == Some(i)
                } else {
                    r.through[i].is_some_and(|x| x.cost < r.scan.cost)
                };
                if uses && !refs[i].iter().any(|(h, m, _)| h == &p.home && m == &p.name) {
                    refs[i].push((p.home.clone(), p.name.clone(), best));
                }
            }
        }
    }
    let mut fks: Vec<Vec<String>> = vec![Vec::new(); n];
    for (name, serving) in &problem.requirements {
        for &i in serving.iter().filter(|&&i| on(i)) {
            fks[i].push(name.clone());
        }
    }

    // Final names: a chosen index keeps the name of its keys unless a key or another chosen
    // index has it, then it takes the name of the first pattern it serves.
    let mut used: Vec<String> = problem
        .candidates
        .iter()
        .enumerate()
        .filter(|(i, c)| on(*i) && c.pinned())
        .map(|(_, c)| c.index.name.clone())
        .collect();
    let mut names: Vec<String> = problem
        .candidates
        .iter()
        .map(|c| c.index.name.clone())
        .collect();
    for i in (0..n).filter(|&i| on(i) && !problem.candidates[i].pinned()) {
        let base = names[i].clone();
        let mut name = base.clone();
        if used.contains(&name) {
            let suffix = serves[i]
                .first()
                .map(|p| snake(p))
                .unwrap_or_else(|| "alt".to_string());
            name = candidates::fit(&format!("{base}_{suffix}"));
            let mut k = 2;
            while used.contains(&name) {
                name = candidates::fit(&format!("{base}_{k}"));
                k += 1;
            }
        }
        used.push(name.clone());
        names[i] = name;
    }

    let rate_of = |name: &str| {
        patterns
            .iter()
            .find(|p| p.name == name)
            .map(|p| {
                if p.rate_declared {
                    format!("`{}` ({})", p.name, report::rate_text(p.rate))
                } else {
                    format!("`{}`", p.name)
                }
            })
            .unwrap_or_default()
    };
    let mut chosen = Vec::new();
    for i in (0..n).filter(|&i| on(i)) {
        let c = &problem.candidates[i];
        let mut without = set.to_vec();
        without[i] = false;
        let before = problem.clone_forced_without(i).evaluate(&without);
        let benefit = (before.reads - totals.reads).max(0.0);
        let upkeep = (totals.upkeep - before.upkeep).max(0.0);
        let mut index = c.index.clone();
        index.name = names[i].clone();
        let pattern_list: Vec<String> = serves[i].iter().map(|p| rate_of(p)).collect();
        match &c.origin {
            Origin::Pattern(_) | Origin::Derived(_) => {
                let mut text = if pattern_list.len() == 1 {
                    format!("serves access pattern {}", pattern_list[0])
                } else {
                    format!("serves access patterns {}", pattern_list.join(", "))
                };
                if !fks[i].is_empty() {
                    text.push_str(&format!("; also the foreign key {}", fks[i].join(", ")));
                }
                let source = serves[i]
                    .first()
                    .cloned()
                    .map(WhySource::AccessPattern)
                    .unwrap_or(WhySource::Relation);
                index.why = Some(Why::new(source, text));
            }
            Origin::ForeignKey(_) if !pattern_list.is_empty() => {
                if let Some(why) = &mut index.why {
                    why.text = format!(
                        "{}; also serves access pattern{} {}",
                        why.text,
                        if pattern_list.len() == 1 { "" } else { "s" },
                        pattern_list.join(", ")
                    );
                }
            }
            _ => {}
        }
        chosen.push(ChosenIndex {
            index,
            origin: c.origin.clone(),
            serves: serves[i].clone(),
            usable_by: usable[i].clone(),
            pattern_refs: refs[i].clone(),
            foreign_keys: fks[i].clone(),
            benefit,
            upkeep,
            size_cost: problem.size_cost[i],
            pages: problem.pages[i],
            pinned: c.pinned(),
        });
    }

    let mut rejected = Vec::new();
    for i in (0..n).filter(|&i| !on(i)) {
        let c = &problem.candidates[i];
        let usable = problem.reads.iter().any(|r| r.through[i].is_some());
        let mut with = set.to_vec();
        with[i] = true;
        let after = problem.evaluate(&with);
        let saves = totals.reads - after.reads;
        let adds = after.upkeep - totals.upkeep + problem.size_cost[i];
        let reason = if !usable && fks.get(i).is_none_or(Vec::is_empty) {
            "no access can use it".to_string()
        } else if saves <= 1e-9 * totals.reads.max(1.0) {
            let served: Vec<String> = problem
                .reads
                .iter()
                .zip(&plans)
                .filter(|(r, _)| r.through[i].is_some())
                .map(|(r, (idx, _))| match idx {
                    Some(j) => format!("`{}` by {}", patterns[r.pattern].name, names[*j]),
                    None => format!("`{}` by a scan", patterns[r.pattern].name),
                })
                .collect();
            format!(
                "the chosen set serves its patterns as cheaply ({}); it would add {}/s of upkeep and size",
                served.join(", "),
                report::cost_text(adds)
            )
        } else {
            format!(
                "it would save {}/s of reads but add {}/s of upkeep and size",
                report::cost_text(saves),
                report::cost_text(adds)
            )
        };
        rejected.push(RejectedIndex {
            index: c.index.clone(),
            origin: c.origin.clone(),
            shape: c.shape.clone(),
            reason,
        });
    }

    let mut plans_out = Vec::new();
    let mut notes = Vec::new();
    for (r, (idx, plan)) in problem.reads.iter().zip(&plans) {
        let p = &patterns[r.pattern];
        plans_out.push(PatternPlan {
            pattern: p.name.clone(),
            rate: p.rate,
            rate_declared: p.rate_declared,
            index: idx.map(|i| names[i].clone()),
            cost: plan.cost,
            scan_cost: r.scan.cost,
            index_only: plan.index_only,
            sort_avoided: plan.sort_avoided,
        });
        let some_candidate = r.through.iter().any(Option::is_some);
        if idx.is_none() && some_candidate && profile.rows >= 100_000.0 {
            notes.push(format!(
                "`{}` ({}) reads {} with a sequential scan (about {} per run): at this rate no index pays for its upkeep and size; a statistics hint (`stats`) on a filtered column changes the estimate when it matches few rows",
                p.name,
                report::rate_text(p.rate),
                table.name.name,
                report::cost_text(r.scan.cost)
            ));
        }
    }
    TableReport {
        table: table.name.clone(),
        rows: profile.rows,
        rows_declared: profile.rows_declared,
        method,
        chosen,
        rejected,
        patterns: plans_out,
        findings,
        notes,
        defaults_used,
        totals,
        candidates: n,
    }
}

impl Problem {
    /// A copy where candidate `i` is not forced, to price a pinned index's contribution.
    fn clone_forced_without(&self, i: usize) -> Problem {
        let mut p = self.clone();
        p.forced[i] = false;
        p
    }
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

impl Selection {
    /// Writes the choice into the model: each table's indexes become the chosen ones, and
    /// each access pattern lists the indexes (and keys) that can serve it, the one its
    /// cheapest plan uses first.
    pub fn apply(&self, model: &mut Model) {
        let at: HashMap<QualifiedName, usize> = model
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        for t in &self.tables {
            if let Some(table) = at.get(&t.table).and_then(|&i| model.tables.get_mut(i)) {
                table.indexes = t
                    .chosen
                    .iter()
                    .filter(|c| !matches!(c.origin, Origin::Key(_)))
                    .map(|c| c.index.clone())
                    .collect();
            }
        }
        // Pattern → the indexes its cheapest plans use, then the others that can serve it.
        let mut served: HashMap<(&QualifiedName, &str), Vec<String>> = HashMap::new();
        for pass in [true, false] {
            for t in &self.tables {
                for c in &t.chosen {
                    for (home, name, best) in &c.pattern_refs {
                        if *best != pass {
                            continue;
                        }
                        let names = served.entry((home, name.as_str())).or_default();
                        if !names.contains(&c.index.name) {
                            names.push(c.index.name.clone());
                        }
                    }
                }
            }
        }
        for ap in &mut model.access_patterns {
            ap.served_by = served
                .remove(&(&ap.table, ap.name.as_str()))
                .unwrap_or_default();
        }
    }
}

//! Whether the design dominates a baseline on the workload both ran: index size no larger,
//! every write pattern and the bulk load at least 1.2× as fast, every read pattern with a rate
//! of 10/s or more at least as fast within the measured noise, and the rate-weighted workload
//! at least 1.3× as fast. Only what both schemas ran is compared: tables present in both,
//! patterns that ran on both (a baseline without a pattern's table does not run it).

use std::collections::BTreeSet;

use super::{PatternRun, SchemaRun};

/// Writes and the bulk load must be at least this much faster.
pub const WRITE_GOAL: f64 = 1.2;
/// Reads at or above [`READ_RATE`] must be at least as fast, within noise.
pub const READ_GOAL: f64 = 1.0;
pub const READ_RATE: f64 = 10.0;
/// The rate-weighted workload must be at least this much faster.
pub const WORKLOAD_GOAL: f64 = 1.3;

/// One criterion: the ratio (baseline cost / design cost, above 1 means the design is
/// cheaper), its goal, the noise it is allowed, and whether it holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Criterion {
    pub what: String,
    pub ratio: f64,
    pub goal: f64,
    /// Relative noise of the two measurements (0 for sizes).
    pub noise: f64,
    pub holds: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Dominance {
    pub criteria: Vec<Criterion>,
    pub holds: bool,
    /// Tables both schemas have: sizes and load times are compared over these.
    pub shared_tables: Vec<String>,
    /// The design's index bytes and the baseline's, on the shared tables.
    pub index_bytes: (i64, i64),
    /// Patterns the baseline could not run, with why.
    pub not_compared: Vec<(String, String)>,
    /// The largest noise among the compared patterns.
    pub max_noise: f64,
}

fn ratio(base: f64, ours: f64) -> f64 {
    if ours <= 0.0 {
        return 0.0;
    }
    base / ours
}

pub fn judge(ours: &SchemaRun, base: &SchemaRun) -> Dominance {
    let shared: BTreeSet<&String> = ours
        .load_tables
        .keys()
        .filter(|t| base.load_tables.contains_key(*t))
        .collect();
    let on_shared = |run: &SchemaRun| -> i64 {
        run.indexes
            .iter()
            .filter(|(i, _)| run.index_tables.get(*i).is_some_and(|t| shared.contains(t)))
            .map(|(_, b)| *b)
            .sum()
    };
    let (ours_idx, base_idx) = (on_shared(ours), on_shared(base));
    let mut criteria = vec![Criterion {
        what: "index size (tables in both)".to_string(),
        ratio: ratio(base_idx as f64, ours_idx as f64),
        goal: 1.0,
        noise: 0.0,
        holds: ours_idx <= base_idx,
    }];
    let load = |run: &SchemaRun| -> f64 {
        run.load_tables
            .iter()
            .filter(|(t, (rows, _))| shared.contains(t) && *rows > 0)
            .map(|(_, (_, s))| *s)
            .sum()
    };
    let r = ratio(load(base), load(ours));
    criteria.push(Criterion {
        what: "bulk load (tables in both)".to_string(),
        ratio: r,
        goal: WRITE_GOAL,
        noise: 0.0,
        holds: r >= WRITE_GOAL,
    });
    let mut not_compared = Vec::new();
    let mut weighted = (0.0, 0.0);
    let mut max_noise: f64 = 0.0;
    let pairs = ours
        .patterns
        .iter()
        .filter_map(|o| Some((o, base.patterns.iter().find(|b| b.pattern == o.pattern)?)));
    for (o, b) in pairs {
        if let Some(why) = b.skipped.as_ref().or(o.skipped.as_ref()) {
            not_compared.push((o.pattern.clone(), why.clone()));
            continue;
        }
        let noise = o.noise.max(b.noise);
        max_noise = max_noise.max(noise);
        weighted.0 += o.rate * b.p50_ms;
        weighted.1 += o.rate * o.p50_ms;
        let r = ratio(b.p50_ms, o.p50_ms);
        if o.write {
            criteria.push(pattern_criterion(o, r, WRITE_GOAL, noise, r >= WRITE_GOAL));
        } else if o.rate >= READ_RATE {
            let holds = r >= READ_GOAL * (1.0 - noise);
            criteria.push(pattern_criterion(o, r, READ_GOAL, noise, holds));
        }
    }
    let r = ratio(weighted.0, weighted.1);
    criteria.push(Criterion {
        what: "rate-weighted workload (p50 × rate)".to_string(),
        ratio: r,
        goal: WORKLOAD_GOAL,
        noise: max_noise,
        holds: r >= WORKLOAD_GOAL,
    });
    Dominance {
        holds: criteria.iter().all(|c| c.holds),
        criteria,
        shared_tables: shared.into_iter().cloned().collect(),
        index_bytes: (ours_idx, base_idx),
        not_compared,
        max_noise,
    }
}

fn pattern_criterion(p: &PatternRun, r: f64, goal: f64, noise: f64, holds: bool) -> Criterion {
    let kind = if p.write { "write" } else { "read" };
    Criterion {
        what: format!("{kind} {}", p.pattern),
        ratio: r,
        goal,
        noise,
        holds,
    }
}

/// The verdict as text, one criterion a line.
pub fn render(d: &Dominance, baseline: &str) -> String {
    let mut s = format!(
        "\ndominance over {baseline} (ratio = baseline / design; tables in both: {}):\n",
        d.shared_tables.join(", ")
    );
    for c in &d.criteria {
        let noise = if c.noise > 0.0 {
            format!(" (noise ±{:.0}%)", c.noise * 100.0)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "  {:<4} {:<40} {:>6.2}x  goal {:.1}x{noise}\n",
            if c.holds { "ok" } else { "MISS" },
            c.what,
            c.ratio,
            c.goal
        ));
    }
    for (p, why) in &d.not_compared {
        s.push_str(&format!("  not compared: {p} ({why})\n"));
    }
    s.push_str(&format!(
        "  measured noise: p50 of the odd runs against the even runs differs by up to {:.0}%\n",
        d.max_noise * 100.0
    ));
    s.push_str(if d.holds {
        "  the design dominates the baseline\n"
    } else {
        "  the design does not dominate the baseline (MISS above)\n"
    });
    s
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn run(p50: &[(&str, bool, f64, f64)], idx: i64, load: f64) -> SchemaRun {
        SchemaRun {
            schema: "s".into(),
            load_rows: 10,
            load_seconds: load,
            load_tables: BTreeMap::from([("t".to_string(), (10, load))]),
            patterns: p50
                .iter()
                .map(|(n, w, rate, ms)| PatternRun {
                    pattern: n.to_string(),
                    table: "t".into(),
                    rate: *rate,
                    write: *w,
                    example: String::new(),
                    plan: Vec::new(),
                    buffers: 0,
                    explain_ms: 0.0,
                    p50_ms: *ms,
                    p95_ms: *ms,
                    throughput: 0.0,
                    errors: 0,
                    findings: Vec::new(),
                    noise: 0.05,
                    skipped: None,
                })
                .collect(),
            indexes: BTreeMap::from([("i".to_string(), idx)]),
            index_bytes: idx,
            index_tables: BTreeMap::from([("i".to_string(), "t".to_string())]),
            hot: BTreeMap::new(),
            concurrent_tps: 0.0,
        }
    }

    #[test]
    fn each_criterion_decides() {
        let ours = run(
            &[("w", true, 10.0, 1.0), ("r", false, 100.0, 1.0)],
            100,
            1.0,
        );
        let base = run(
            &[("w", true, 10.0, 1.3), ("r", false, 100.0, 0.97)],
            100,
            1.3,
        );
        let d = judge(&ours, &base);
        // 0.97x is within the 5% noise; the weighted ratio is (13 + 97) / 110 = 1.0.
        let holds: Vec<(String, bool)> = d
            .criteria
            .iter()
            .map(|c| (c.what.clone(), c.holds))
            .collect();
        assert_eq!(
            holds,
            vec![
                ("index size (tables in both)".to_string(), true),
                ("bulk load (tables in both)".to_string(), true),
                ("write w".to_string(), true),
                ("read r".to_string(), true),
                ("rate-weighted workload (p50 × rate)".to_string(), false),
            ]
        );
        assert!(!d.holds);
        // A read 10% slower is outside the noise; a larger index fails the size criterion.
        let base = run(&[("w", true, 10.0, 1.3), ("r", false, 100.0, 0.9)], 90, 1.3);
        let d = judge(&ours, &base);
        assert!(!d.criteria[0].holds && !d.criteria[3].holds, "{d:?}");
    }

    #[test]
    fn patterns_the_baseline_cannot_run_are_listed_not_compared() {
        let ours = run(&[("r", false, 100.0, 1.0)], 1, 1.0);
        let mut base = run(&[("r", false, 100.0, 9.0)], 1, 1.0);
        base.patterns[0].skipped = Some("relation \"t\" does not exist".into());
        let d = judge(&ours, &base);
        assert_eq!(d.not_compared.len(), 1);
        assert!(!d.criteria.iter().any(|c| c.what == "read r"));
    }
}

//! The human report of `strata advise`.

use super::{Advice, PatternCost, Write, weighted};
use strata_workload::report::rate_text;

fn bytes(n: i64) -> String {
    let n = n as f64;
    if n >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", n / 1024.0 / 1024.0 / 1024.0)
    } else if n >= 1024.0 * 1024.0 {
        format!("{:.1} MB", n / 1024.0 / 1024.0)
    } else {
        format!("{:.0} kB", n / 1024.0)
    }
}

fn patterns(out: &mut String, list: &[PatternCost], by: Option<&str>) {
    for p in list {
        let after = match (p.after, by) {
            (Some(a), _) => format!("{a:.2}"),
            (None, Some(b)) => format!("served by {b}"),
            (None, None) => "?".into(),
        };
        out.push_str(&format!(
            "    {} ({}): cost {:.2} -> {}\n",
            p.statement,
            rate_text(p.rate),
            p.before,
            after
        ));
    }
}

fn writes(out: &mut String, list: &[Write], per_sec: f64, verb: &str) {
    if list.is_empty() {
        out.push_str("    writes: none in the workload\n");
        return;
    }
    out.push_str(&format!(
        "    writes: {} rows {verb} ({})\n",
        rate_text(per_sec),
        list.iter()
            .map(|w| format!(
                "{} {} {}{}",
                w.kind,
                w.statement,
                rate_text(w.rate),
                if w.changes_hot {
                    if verb == "to maintain" {
                        ", no longer HOT"
                    } else {
                        ", HOT again"
                    }
                } else {
                    ""
                }
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ));
}

pub fn human(a: &Advice) -> String {
    let mut out = format!(
        "advise {} ({}): {} statement(s) of the workload\n",
        a.target,
        a.on,
        a.statements.len()
    );
    if a.add.is_empty() && a.drop.is_empty() {
        out.push_str("\nnothing to add or drop: the indexes fit the workload\n");
    }
    if !a.add.is_empty() {
        out.push_str("\nadd:\n");
        for x in &a.add {
            out.push_str(&format!(
                "  {}  ({}, saves {:.1} cost units/s)\n",
                x.sql,
                bytes(x.bytes),
                x.benefit
            ));
            patterns(&mut out, &x.patterns, None);
            writes(&mut out, &x.writes, x.writes_per_sec, "to maintain");
        }
    }
    if !a.drop.is_empty() {
        out.push_str("\ndrop:\n");
        for x in &a.drop {
            let why = match (x.reason, &x.by) {
                ("duplicate", Some(b)) => format!("duplicate of {b}"),
                ("covered", Some(b)) => format!("{b} serves every query it serves"),
                _ if a.on == "database" => format!(
                    "no statement of the workload uses it, and the server counted no scan of it in {} of statistics{}",
                    strata_lint::health::duration(a.statistics_seconds),
                    // As `unused-index` says: weekly jobs may not have run yet.
                    if a.statistics_seconds < 7 * 24 * 3600 {
                        ", too short a period to be sure"
                    } else {
                        ""
                    }
                ),
                _ => "no statement of the workload uses it".to_string(),
            };
            out.push_str(&format!("  {}  ({}, {why})\n", x.sql, bytes(x.bytes)));
            patterns(&mut out, &x.patterns, x.by.as_deref());
            writes(
                &mut out,
                &x.writes,
                x.writes_per_sec,
                "no longer maintained",
            );
        }
    }
    let (before, after) = weighted(&a.statements);
    out.push_str(&format!(
        "\nworkload: {before:.1} -> {after:.1} cost units/s (rate-weighted generic plans)\n"
    ));
    for s in &a.skipped {
        out.push_str(&format!("skipped: {s}\n"));
    }
    for n in &a.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

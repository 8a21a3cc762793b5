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
    if !a.table_writes.is_empty() {
        out.push_str(&format!(
            "\nwritten, as the server counted over {} of statistics:\n",
            strata_lint::health::duration(a.statistics_seconds)
        ));
        for (t, w) in &a.table_writes {
            out.push_str(&format!(
                "  {t}: inserts {}, updates {} ({:.0} % HOT), deletes {}\n",
                rate_text(w.inserts),
                rate_text(w.updates),
                if w.updates > 0.0 {
                    100.0 * w.hot_updates / w.updates
                } else {
                    0.0
                },
                rate_text(w.deletes)
            ));
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

#[cfg(test)]
mod tests {
    use super::super::{Addition, Advice, PatternCost, Removal, Statement, Write};
    use strata_model::{Index, IndexKey, QualifiedName};
    use strata_workload::analyze::TableAccess;
    use strata_workload::{Analysis, StatementKind};

    fn statement(name: &str, rate: f64, before: f64, after: f64) -> Statement {
        let table = QualifiedName::public("tasks");
        let mut s = super::super::statement(
            name.into(),
            "pattern",
            "SELECT 1",
            rate,
            table.clone(),
            Analysis {
                kind: StatementKind::Select,
                driving: TableAccess::on(table),
                probes: Vec::new(),
                limit: None,
                offset: None,
                joins: false,
            },
        );
        s.cost_before = before;
        s.cost_after = after;
        s
    }

    fn write(statement: &str, rate: f64, kind: &'static str, changes_hot: bool) -> Write {
        Write {
            statement: statement.into(),
            rate,
            kind,
            changes_hot,
        }
    }

    #[test]
    fn human_report() {
        let index = Index::btree(
            "idx_tasks_user_id_created_at",
            vec![IndexKey::column("user_id"), IndexKey::column("created_at")],
        );
        let advice = Advice {
            target: "postgres://app:****@db:5432/app".into(),
            on: "database",
            statements: vec![
                statement("recent_tasks", 100.0, 7451.23, 79.99),
                statement("due_soon", 1.0 / 60.0, 7.39, 7.39),
            ],
            add: vec![Addition {
                table: "public.tasks".into(),
                name: index.name.clone(),
                sql: "CREATE INDEX CONCURRENTLY idx_tasks_user_id_created_at ON public.tasks USING btree (user_id, created_at)".into(),
                bytes: 10 * 1024 * 1024,
                patterns: vec![PatternCost {
                    statement: "recent_tasks".into(),
                    rate: 100.0,
                    before: 7451.23,
                    after: Some(79.99),
                }],
                benefit: 737124.0,
                writes_per_sec: 55.0,
                writes: vec![
                    write("create_task", 50.0, "insert", false),
                    write("move_task", 5.0, "update", true),
                ],
                index,
                table_name: QualifiedName::public("tasks"),
            }],
            drop: vec![
                Removal {
                    table: "public.tasks".into(),
                    name: "tasks_due_b".into(),
                    reason: "duplicate",
                    by: Some("tasks_due_a".into()),
                    sql: "DROP INDEX CONCURRENTLY public.tasks_due_b".into(),
                    bytes: 2_700_000,
                    scans: 12,
                    patterns: vec![PatternCost {
                        statement: "due_soon".into(),
                        rate: 1.0 / 60.0,
                        before: 7.39,
                        after: None,
                    }],
                    writes_per_sec: 50.0,
                    writes: vec![write("create_task", 50.0, "insert", false)],
                },
                Removal {
                    table: "public.tasks".into(),
                    name: "tasks_title_idx".into(),
                    reason: "unused",
                    by: None,
                    sql: "DROP INDEX CONCURRENTLY public.tasks_title_idx".into(),
                    bytes: 8_200_000,
                    scans: 0,
                    patterns: Vec::new(),
                    writes_per_sec: 0.0,
                    writes: Vec::new(),
                },
            ],
            skipped: vec!["pattern `odd`: does not parse: sql parser error".into()],
            notes: vec!["pattern `due_soon`: rate 1/s (none declared)".into()],
            table_writes: [(
                "public.tasks".to_string(),
                super::super::TableWrites {
                    inserts: 12.5,
                    updates: 3.0,
                    hot_updates: 2.0,
                    deletes: 1.0 / 3600.0,
                },
            )]
            .into(),
            statistics_seconds: 12 * 86_400,
        };
        insta::assert_snapshot!(super::human(&advice));
    }
}

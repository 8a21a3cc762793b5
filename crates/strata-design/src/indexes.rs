//! Index selection, handed to the workload stage: the design's patterns, the trigger-kept
//! columns every update writes, statistics hints and the entities that keep every candidate
//! (`prune_indexes off`) go in; the chosen indexes come back into the model, and what the
//! stage found about declared indexes becomes warnings at their declaration.

use std::collections::HashMap;

use strata_diagnostics::{Diagnostic, Span};
use strata_lang::ast::{self, Member, StatsKind};
use strata_model::*;
use strata_workload::{CostParams, Finding, Hint, HintKind, Pattern, Selection, Workload};

use crate::codes;
use crate::collect::EntityCx;

/// The workload of the design: its patterns, hints and defaults.
pub fn workload(
    entities: &[EntityCx<'_>],
    model: &Model,
    patterns: Vec<Pattern>,
    hints: Vec<Hint>,
) -> Workload {
    let mut w = Workload {
        patterns,
        hints,
        ..Default::default()
    };
    for t in &model.tables {
        if t.triggers
            .iter()
            .any(|tr| tr.function.name == "set_updated_at")
            && t.column("updated_at").is_some()
        {
            w.always_updated.push((t.name.clone(), "updated_at".into()));
        }
    }
    for e in entities {
        if !e.conv.prune_indexes {
            w.keep_all.push(e.table.clone());
        }
    }
    w
}

/// The statistics hints of every entity (`stats` members). Fields resolve to columns through
/// the per-entity state, so this runs before that state is released.
pub fn hints(
    entities: &[EntityCx<'_>],
    model: &mut Model,
    diags: &mut Vec<Diagnostic>,
    mut columns_of: impl FnMut(usize, &ast::Ident, &mut Vec<Diagnostic>) -> Option<Vec<String>>,
) -> Vec<Hint> {
    let mut out = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let table = e.table.clone();
        let stats: Vec<_> = e
            .members
            .iter()
            .filter_map(|m| match m {
                Member::Stats(s) => Some(s),
                _ => None,
            })
            .collect();
        for s in stats {
            let Some(cols) = columns_of(i, &s.field, diags) else {
                continue;
            };
            let Some(column) = cols.first().cloned() else {
                continue;
            };
            let kind = match s.kind {
                StatsKind::True => HintKind::TrueShare,
                StatsKind::Null => HintKind::NullShare,
                StatsKind::Distinct => HintKind::Distinct,
                StatsKind::Skew => HintKind::Skew,
                StatsKind::Range => HintKind::RangeShare,
            };
            if kind == HintKind::TrueShare
                && model
                    .table(&table)
                    .and_then(|t| t.column(&column))
                    .is_some_and(|c| !c.data_type.is_builtin("boolean"))
            {
                diags.push(
                    Diagnostic::error(
                        codes::STATS_NOT_BOOLEAN,
                        format!("`stats {} true` on a column that is not a boolean", s.field.name),
                        "a `true` share describes a boolean field; use `distinct`, `null`, `range` or `skew` for other fields",
                    )
                    .at(s.span),
                );
                continue;
            }
            if let Some(t) = model.tables.iter_mut().find(|t| t.name == table) {
                t.origin.stats.push(StatsHint {
                    column: column.clone(),
                    kind: s.kind.keyword().to_string(),
                    value: format!("{}", s.value),
                });
            }
            out.push(Hint {
                table: table.clone(),
                column,
                kind,
                value: s.hint_value(),
            });
        }
    }
    out
}

/// Chooses the indexes, writes them into the model and reports declared ones not created.
pub fn choose(
    model: &mut Model,
    w: &Workload,
    index_spans: &HashMap<(QualifiedName, String), Span>,
    diags: &mut Vec<Diagnostic>,
) -> Selection {
    let selection = strata_workload::select(model, w, &CostParams::default());
    for t in &selection.tables {
        for f in &t.findings {
            let (name, declared) = match f {
                Finding::LoneBoolean { index, declared } => (index, *declared),
                Finding::Redundant {
                    index, declared, ..
                } => (index, *declared),
            };
            if !declared {
                continue;
            }
            let span = index_spans.get(&(t.table.clone(), name.clone())).copied();
            let d = match f {
                Finding::LoneBoolean { index, .. } => Diagnostic::warning(
                    codes::LONE_BOOLEAN_INDEX,
                    format!("index {index} on the lone boolean column was not created"),
                    "a boolean splits rows in two halves, too few to be worth an index: filter it with a partial index (`where `NOT col``) on a selective column",
                ),
                Finding::Redundant {
                    index,
                    by,
                    by_key: true,
                    ..
                } => Diagnostic::warning(
                    codes::REDUNDANT_INDEX,
                    format!("index {index} is served by the key {by} and was not created"),
                    "remove it: the key's own index starts with the same columns",
                ),
                Finding::Redundant { index, by, .. } => Diagnostic::warning(
                    codes::REDUNDANT_INDEX,
                    format!("index {index} is served by {by} and was not created"),
                    format!("remove it: {by} starts with the same columns"),
                ),
            };
            diags.push(d.at_opt(span));
        }
    }
    selection.apply(model);
    selection
}

//! Diff + plan between two generated 1,000-table models, in process (no server).
//! Run with `scripts/bench_diff` (release build).

use std::time::Instant;

use strata_model::{
    Column, ForeignKey, Index, IndexKey, Model, PrimaryKey, QualifiedName, Table, TypeRef,
};

fn model(tables: usize, changed: bool) -> Model {
    let mut m = Model::default();
    for i in 0..tables {
        let name = QualifiedName::new("public", format!("t{i:04}"));
        let mut t = Table::new(name.clone());
        let mut id = Column::new("id", TypeRef::builtin("bigint"));
        id.nullable = false;
        t.columns.push(id);
        for c in 0..8 {
            let ty = if changed && i % 50 == 0 && c == 0 {
                "bigint"
            } else {
                "integer"
            };
            let mut col = Column::new(format!("c{c}"), TypeRef::builtin(ty));
            col.nullable = true;
            t.columns.push(col);
        }
        if changed && i % 100 == 0 {
            t.columns
                .push(Column::new("added", TypeRef::builtin("text")));
        }
        t.primary_key = Some(PrimaryKey {
            name: format!("t{i:04}_pkey"),
            columns: vec!["id".into()],
            deferrable: Default::default(),
            without_overlaps: false,
        });
        if i > 0 {
            let mut p = Column::new("parent_id", TypeRef::builtin("bigint"));
            p.nullable = true;
            t.columns.push(p);
            t.foreign_keys.push(ForeignKey {
                name: format!("t{i:04}_parent_fkey"),
                columns: vec!["parent_id".into()],
                ref_table: QualifiedName::new("public", format!("t{:04}", i - 1)),
                ref_columns: vec!["id".into()],
                on_delete: strata_model::FkAction::NoAction,
                on_update: strata_model::FkAction::NoAction,
                match_type: strata_model::FkMatch::Simple,
                deferrable: strata_model::Deferrable::NotDeferrable,
                relation: None,
                inverse: None,
                why: None,
                not_valid: Default::default(),
                not_enforced: false,
                period: false,
            });
        }
        if !(changed && i % 100 == 1) {
            t.indexes.push(Index::btree(
                format!("t{i:04}_c1_idx"),
                vec![IndexKey::column("c1")],
            ));
        }
        m.tables.push(t);
    }
    m.canonicalize();
    m
}

fn main() {
    let from = model(1000, false);
    let to = model(1000, true);
    let mut times = Vec::new();
    let mut steps = 0;
    let mut changes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        changes = strata_diff::diff(&from, &to).len();
        let plan = strata_diff::plan(&from, &to, &strata_diff::PlanOptions::default());
        steps = plan.map(|p| p.steps.len()).unwrap_or(0);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "1000 tables: {changes} changes, {steps} steps; diff + plan (with the down plan): median {:.0} ms, min {:.0} ms, max {:.0} ms",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

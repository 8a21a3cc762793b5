//! Hints about a plan: a drop and a create that look like a rename nobody declared.
//!
//! Renames are never guessed; the plan drops and creates. A hint says where a declaration
//! would keep the data.

use strata_model::{Model, Table};

fn same_columns(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns.iter().all(|c| {
            b.column(&c.name)
                .is_some_and(|d| d.data_type == c.data_type)
        })
}

/// One line per column (or table) that the plan drops while it creates one of the same type
/// (columns) or with the same columns (tables) that no `renamed_from` declares.
pub(crate) fn undeclared_renames(from: &Model, to: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for t in &to.tables {
        let Some(f) = from.table(&t.name) else {
            continue;
        };
        let dropped: Vec<_> = f
            .columns
            .iter()
            .filter(|c| t.column(&c.name).is_none())
            .collect();
        let added: Vec<_> = t
            .columns
            .iter()
            .filter(|c| f.column(&c.name).is_none())
            .collect();
        for d in &dropped {
            let same: Vec<_> = added
                .iter()
                .filter(|a| a.data_type == d.data_type)
                .collect();
            let twins = dropped
                .iter()
                .filter(|o| o.data_type == d.data_type)
                .count();
            if let [a] = same.as_slice()
                && twins == 1
            {
                out.push(format!(
                    "column {}.{} is dropped and {}.{} of the same type ({}) is added: if it is a rename, declare it in the design (`{} ... renamed_from {}`) so its data is kept",
                    t.name.name,
                    d.name,
                    t.name.name,
                    a.name,
                    strata_sql::render_column_type(&a.data_type),
                    a.name,
                    d.name
                ));
            }
        }
    }
    let gone: Vec<&Table> = from
        .tables
        .iter()
        .filter(|f| to.table(&f.name).is_none())
        .collect();
    let new: Vec<&Table> = to
        .tables
        .iter()
        .filter(|t| from.table(&t.name).is_none())
        .collect();
    for g in &gone {
        let same: Vec<&&Table> = new
            .iter()
            .filter(|n| n.name.schema == g.name.schema && same_columns(g, n))
            .collect();
        if let [n] = same.as_slice() {
            out.push(format!(
                "table {}.{} is dropped and {}.{} with the same columns is created: if it is a rename, declare it in the design (`renamed_from OldEntity` inside the new entity) so its rows are kept",
                g.name.schema, g.name.name, n.name.schema, n.name.name
            ));
        }
    }
    out
}

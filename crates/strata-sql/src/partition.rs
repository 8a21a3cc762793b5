//! What a partition inherits from its partitioned parent, and what must be added to it.
//!
//! PostgreSQL, for `CREATE TABLE p PARTITION OF parent`:
//! - copies the parent's columns with their types, `NOT NULL`, defaults, identity and
//!   generation expressions;
//! - clones the parent's primary key, unique and exclusion constraints (each backed by an
//!   index named after the partition), and its check constraints under the same names;
//! - clones every index, foreign key and row-level trigger of the parent, existing or added
//!   later (triggers under the same name);
//! - does not copy row-level security settings, policies, comments or grants.
//!
//! So a partition's primary key, unique/check/exclusion constraints and row-level triggers
//! that match the parent's are skipped here (rendering them again would fail as duplicates),
//! and the ones of its own are added with `ALTER TABLE`. Indexes and foreign keys are never
//! skipped: they are created on partitions before their parents (see
//! [`crate::order::partitions_first`]), and PostgreSQL attaches a matching partition index or
//! foreign key to the parent's instead of creating another, so the names in the model are
//! kept. Column differences (a partition's own default or `NOT NULL`) become `ALTER COLUMN`.

use strata_model::{Table, Trigger, quote_ident};

use crate::constraint::{
    render_add_constraint, render_check_clause, render_exclusion_clause, render_primary_key_clause,
    render_unique_clause,
};

/// The statements that give a partition the constraints and column settings it does not
/// inherit. `ancestors` are its parent, the parent's parent and so on, nearest first, as far
/// as they are in the model (none when the parent is not: then only the columns are assumed
/// inherited). Empty for a table that is not a partition.
pub fn partition_constraints(table: &Table, ancestors: &[&Table]) -> Vec<String> {
    if table.partition_of.is_none() {
        return Vec::new();
    }
    let mut out = column_overrides(table, ancestors);
    let mut clauses = Vec::new();
    if let Some(pk) = &table.primary_key
        && !ancestors.iter().any(|p| p.primary_key.is_some())
    {
        clauses.push(render_primary_key_clause(pk));
    }
    for unique in &table.uniques {
        let inherited = ancestors.iter().any(|p| {
            p.uniques.iter().any(|u| {
                u.name == unique.name
                    || (u.columns == unique.columns
                        && u.nulls_not_distinct == unique.nulls_not_distinct)
            })
        });
        if !inherited {
            clauses.push(render_unique_clause(unique));
        }
    }
    for check in &table.checks {
        if !ancestors
            .iter()
            .any(|p| p.checks.iter().any(|c| c.name == check.name))
        {
            let mut clause = render_check_clause(check);
            if check.not_valid {
                clause.push_str(" NOT VALID");
            }
            clauses.push(clause);
        }
    }
    for exclusion in &table.exclusions {
        let inherited = ancestors.iter().any(|p| {
            p.exclusions.iter().any(|e| {
                e.name == exclusion.name
                    || (e.method == exclusion.method
                        && e.elements == exclusion.elements
                        && e.predicate == exclusion.predicate)
            })
        });
        if !inherited {
            clauses.push(render_exclusion_clause(exclusion));
        }
    }
    out.extend(
        clauses
            .iter()
            .map(|clause| render_add_constraint(&table.name, clause)),
    );
    out
}

/// For a table that inherits (`INHERITS`): `ALTER TABLE ... ALTER COLUMN` for an inherited
/// column whose default or `NOT NULL` differs from what its parent gives it. `parents`: the
/// tables it inherits from, as far as they are in the model.
pub fn inheritance_overrides(table: &Table, parents: &[&Table]) -> Vec<String> {
    if table.inherits.is_empty() {
        return Vec::new();
    }
    let mut inherited = table.clone();
    inherited.columns.retain(|c| c.inherited);
    // ONLY: the table's own children keep what they inherit from it.
    column_overrides(&inherited, parents)
        .into_iter()
        .map(|sql| sql.replacen("ALTER TABLE ", "ALTER TABLE ONLY ", 1))
        .collect()
}

/// `ALTER TABLE ... ALTER COLUMN` for a partition column whose default differs from the one
/// it inherits (from the nearest ancestor that lists the column), or that is `NOT NULL` where
/// the inherited one is nullable.
fn column_overrides(table: &Table, ancestors: &[&Table]) -> Vec<String> {
    let mut out = Vec::new();
    for column in &table.columns {
        let Some(inherited) = ancestors.iter().find_map(|p| p.column(&column.name)) else {
            continue;
        };
        if column.generated.is_some() || column.identity.is_some() {
            continue;
        }
        let target = format!(
            "ALTER TABLE {} ALTER COLUMN {}",
            table.name.quoted(),
            quote_ident(&column.name)
        );
        if column.default != inherited.default {
            match &column.default {
                Some(default) => out.push(format!("{target} SET DEFAULT {};", default.trim())),
                None => out.push(format!("{target} DROP DEFAULT;")),
            }
        }
        if !column.nullable && inherited.nullable {
            out.push(format!("{target} SET NOT NULL;"));
        }
    }
    out
}

/// Whether a partition's trigger is the clone of a row-level trigger of an ancestor.
pub fn trigger_is_inherited(trigger: &Trigger, ancestors: &[&Table]) -> bool {
    ancestors.iter().any(|p| {
        p.triggers
            .iter()
            .any(|t| t.for_each_row && t.name == trigger.name)
    })
}

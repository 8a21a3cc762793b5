//! Model → PostgreSQL DDL.
//!
//! [`render`] turns a [`Model`] into one deterministic SQL script for PostgreSQL 14+ (15+ when
//! the model uses `NULLS NOT DISTINCT`) that applies cleanly to an empty database with `psql`
//! or a single `batch_execute`. The per-object renderers are public so other crates (the
//! differ, the migration planner) produce exactly the same SQL for one object.
//!
//! Script order:
//! 1. `CREATE SCHEMA IF NOT EXISTS` (+ `COMMENT ON SCHEMA`), `CREATE EXTENSION IF NOT EXISTS`;
//! 2. objects carried as SQL that functions are written in or take (languages, base types),
//!    enums, domains (a domain over another domain after it), then the composite and range
//!    types and C functions carried as SQL that function signatures may take;
//! 3. functions, then aggregates — with `check_function_bodies` off while they are created when any is
//!    `LANGUAGE sql`, since such a body is checked against tables that do not exist yet;
//!    (functions over a table's row type, and aggregates using them, follow the tables);
//! 4. objects carried as SQL that tables may use (collations, foreign data wrappers and
//!    servers), standalone sequences, then tables (a partitioned parent before its partitions), each
//!    followed by its column settings (statistics targets, storage, compression, attribute
//!    options), then `ALTER SEQUENCE ... OWNED BY`;
//! 5. Citus placement (`DO` blocks that act only when the `citus` extension is installed),
//!    right after the tables: Citus distributes a table most reliably before foreign keys,
//!    indexes and triggers are added, which it then propagates to the shards;
//! 6. constraints a partition has of its own, then indexes, then foreign keys (indexes first,
//!    since a foreign key may rely on a unique index), partitions before their parents, then
//!    checks that are `NOT VALID` (PostgreSQL validates any check written in `CREATE TABLE`);
//! 7. objects carried as SQL that come after tables (foreign tables), views in model order —
//!    moved after any view they mention — each materialized view
//!    followed by its indexes;
//! 8. triggers, row-level security and policies, the objects carried as SQL (rules, triggers on
//!    views, statistics objects, procedures, publications, ...), comments, grants;
//! 9. raw SQL, verbatim, in model order.
//!
//! Every identifier goes through [`strata_model::quote_ident`] /
//! [`strata_model::QualifiedName::quoted`] and every string value through
//! [`strata_model::quote_literal`] or a dollar quote whose tag does not occur in the text.
//! SQL fragments held by the model (types, defaults, expressions, predicates, definitions,
//! bodies, operator classes, partition bounds) are SQL by nature and are printed as given.
//!
//! See [`partition`] for how partitions are rendered.

mod aggregate;
mod comment;
mod constraint;
mod distribution;
mod function;
mod grant;
mod index;
pub mod order;
pub mod partition;
mod policy;
mod schema;
mod script;
mod sequence;
pub mod split;
mod table;
mod trigger;
mod types;
mod util;
mod validate;
mod view;

use std::collections::BTreeMap;

use strata_model::{Aggregate, Function, Model, QualifiedName, Table, VerbatimStage};

use crate::script::{Script, comment_line};

pub use aggregate::{aggregate_signature, render_aggregate};
pub use comment::{model_comments, render_comment, table_comments, view_comments};
pub use constraint::{
    render_add_check, render_add_constraint, render_check_clause, render_exclusion_clause,
    render_foreign_key, render_foreign_key_clause, render_primary_key_clause, render_unique_clause,
};
pub use distribution::render_distribution;
pub use function::{function_signature, identity_arguments, render_function};
pub use grant::render_grant;
pub use index::{index_name, render_index, render_index_expr, render_index_key};
pub use partition::{inheritance_overrides, partition_constraints, trigger_is_inherited};
pub use policy::{render_policy, render_rls};
pub use schema::{render_extension, render_schema};
pub use sequence::{render_sequence, render_sequence_owned_by};
pub use table::{
    column_settings, render_collation, render_column, render_column_settings, render_create_table,
    render_create_table_with, render_not_valid_checks, render_partition_by,
    render_table_constraints,
};
pub use trigger::{render_trigger, render_trigger_event};
pub use types::{render_column_type, render_domain, render_enum};
pub use util::{dollar_quote, option_list, option_names, render_options, render_role};
pub use view::render_view;

/// Options for [`render`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// Written at the top of the script as `--` comment lines.
    pub header: Option<String>,
}

/// A model that cannot be rendered as an applicable script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// Objects that depend on each other in a circle.
    #[error("dependency cycle among {kind}: {}", .objects.join(", "))]
    Cycle {
        kind: &'static str,
        objects: Vec<String>,
    },
    /// Two objects that PostgreSQL keeps in one namespace share a name.
    #[error("duplicate {kind} name {name}")]
    Duplicate { kind: &'static str, name: String },
    /// An object that no SQL statement can create as described.
    #[error("invalid {object}: {reason}")]
    Invalid { object: String, reason: String },
    /// PostgreSQL cannot store a NUL character in a name or a string.
    #[error("the model contains a NUL character, which PostgreSQL cannot store")]
    NulCharacter,
}

/// Renders the whole model as one SQL script. Same model, byte-identical script.
pub fn render(model: &Model, opts: &RenderOptions) -> Result<String, RenderError> {
    validate::validate(model)?;
    let tables = order::table_order(model)?;
    let domains = order::domain_order(model)?;
    let views = order::view_order(model);
    let distributed = order::distribution_order(&tables)?;
    let by_name: BTreeMap<&QualifiedName, &Table> = tables.iter().map(|t| (&t.name, *t)).collect();
    // Parent, grandparent, ... as far as they are in the model. Bounded: `table_order`
    // rejected partition cycles.
    let ancestors = |t: &Table| -> Vec<&Table> {
        let mut out: Vec<&Table> = Vec::new();
        let mut current = t;
        while let Some(parent) = current
            .partition_of
            .as_ref()
            .and_then(|of| by_name.get(&of.parent).copied())
        {
            if out.len() > by_name.len() {
                break;
            }
            out.push(parent);
            current = parent;
        }
        out
    };
    let children_first = order::partitions_first(&tables);

    let mut script = Script::default();
    if let Some(header) = &opts.header {
        for line in header.lines() {
            script.out.push_str(&comment_line(line));
        }
        script.out.push('\n');
    }

    script.section(
        "Schemas",
        model
            .schemas
            .iter()
            .flat_map(schema::render_schema)
            .collect(),
    );
    script.section(
        "Extensions",
        model.extensions.iter().map(render_extension).collect(),
    );
    script.section(
        "Carried as SQL (used by functions)",
        verbatim(model, VerbatimStage::BeforeFunctions),
    );
    script.section("Enums", model.enums.iter().map(render_enum).collect());
    script.section(
        "Domains",
        domains.iter().map(|d| render_domain(d)).collect(),
    );
    script.section(
        "Carried as SQL (used by function signatures)",
        verbatim(model, VerbatimStage::AfterDomains),
    );
    let (early, late) = split_functions(model);
    script.section("Functions", function_statements(&early.0, &early.1));
    script.section(
        "Carried as SQL (used by tables)",
        verbatim(model, VerbatimStage::BeforeTables),
    );
    script.section(
        "Sequences",
        model.sequences.iter().map(render_sequence).collect(),
    );
    script.section(
        "Tables",
        tables
            .iter()
            .flat_map(|t| std::iter::once(render_create_table(t)).chain(render_column_settings(t)))
            .collect(),
    );
    script.section(
        "Functions over table row types",
        function_statements(&late.0, &late.1),
    );
    script.section(
        "Sequence ownership",
        model
            .sequences
            .iter()
            .filter_map(render_sequence_owned_by)
            .collect(),
    );
    script.section(
        "Citus distribution",
        distributed
            .iter()
            .filter_map(|t| render_distribution(t))
            .collect(),
    );
    script.section(
        "Partition constraints",
        tables
            .iter()
            .flat_map(|t| partition_constraints(t, &ancestors(t)))
            .collect(),
    );
    script.section(
        "Inherited column settings",
        tables
            .iter()
            .flat_map(|t| {
                let parents: Vec<&Table> = t
                    .inherits
                    .iter()
                    .filter_map(|p| by_name.get(p).copied())
                    .collect();
                inheritance_overrides(t, &parents)
            })
            .collect(),
    );
    script.section(
        "Indexes",
        children_first
            .iter()
            .flat_map(|t| t.indexes.iter().map(|i| render_index(&t.name, i)))
            .collect(),
    );
    script.section(
        "Foreign keys",
        children_first
            .iter()
            .flat_map(|t| {
                t.foreign_keys
                    .iter()
                    .map(|fk| render_foreign_key(&t.name, fk))
            })
            .collect(),
    );
    script.section(
        "Carried as SQL (after tables)",
        verbatim(model, VerbatimStage::AfterTables),
    );
    script.section(
        "Checks added NOT VALID",
        tables
            .iter()
            .flat_map(|t| render_not_valid_checks(t))
            .collect(),
    );
    script.section(
        "Views",
        views
            .iter()
            .flat_map(|v| {
                std::iter::once(render_view(v))
                    .chain(v.indexes.iter().map(|i| render_index(&v.name, i)))
            })
            .collect(),
    );
    script.section(
        "Triggers",
        tables
            .iter()
            .flat_map(|t| {
                let ancestors = ancestors(t);
                t.triggers
                    .iter()
                    .filter(move |tr| !trigger_is_inherited(tr, &ancestors))
                    .map(|tr| render_trigger(&t.name, tr))
            })
            .collect(),
    );
    script.section(
        "Row-level security",
        tables
            .iter()
            .flat_map(|t| {
                render_rls(t)
                    .into_iter()
                    .chain(t.policies.iter().map(|p| render_policy(&t.name, p)))
            })
            .collect(),
    );
    script.section("Carried as SQL", verbatim(model, VerbatimStage::Last));
    script.section("Comments", model_comments(model, &tables, &views));
    script.section(
        "Grants",
        model
            .grants
            .iter()
            .map(|g| render_grant(g, model))
            .collect::<Result<_, _>>()?,
    );
    if !model.raw_sql.is_empty() {
        script.out.push_str("-- Raw SQL\n");
        for raw in &model.raw_sql {
            if let Some(name) = &raw.name {
                script.out.push_str(&comment_line(name));
            }
            script.out.push_str(&raw.sql);
            script.out.push('\n');
        }
    }

    let out = script.finish();
    if out.contains('\0') {
        return Err(RenderError::NulCharacter);
    }
    Ok(out)
}

/// The statements of the model's verbatim objects of one stage, in model order.
fn verbatim(model: &Model, stage: VerbatimStage) -> Vec<String> {
    model
        .verbatim
        .iter()
        .filter(|v| v.stage == stage)
        .map(|v| v.sql.trim().to_string())
        .collect()
}

type Routines<'a> = (Vec<&'a Function>, Vec<&'a Aggregate>);

/// Functions whose arguments or result name a table's row type (`RETURNS SETOF public.t`)
/// cannot be created before the table; they, and aggregates built on them, come after the
/// tables. Everything else comes before, since defaults and checks may call it.
fn split_functions(model: &Model) -> (Routines<'_>, Routines<'_>) {
    let row_types: Vec<String> = model.tables.iter().map(|t| t.name.quoted()).collect();
    let mentions_row_type = |f: &Function| {
        let text = format!("{} {}", f.arguments, f.returns);
        row_types.iter().any(|t| {
            text.match_indices(t.as_str()).any(|(i, _)| {
                let after = text[i + t.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"')
            })
        })
    };
    let (late_f, early_f): (Vec<&Function>, Vec<&Function>) =
        model.functions.iter().partition(|f| mentions_row_type(f));
    let late_names: Vec<&QualifiedName> = late_f.iter().map(|f| &f.name).collect();
    let (late_a, early_a): (Vec<&Aggregate>, Vec<&Aggregate>) =
        model.aggregates.iter().partition(|a| {
            std::iter::once(&a.sfunc)
                .chain(a.finalfunc.as_ref())
                .chain(a.combinefunc.as_ref())
                .any(|f| late_names.contains(&f))
        });
    ((early_f, early_a), (late_f, late_a))
}

/// The functions then aggregates, bracketed by `SET check_function_bodies = false` / `RESET`
/// when a `LANGUAGE sql` body (checked at creation) might refer to tables created later.
fn function_statements(functions: &[&Function], aggregates: &[&Aggregate]) -> Vec<String> {
    let mut out: Vec<String> = functions.iter().map(|f| render_function(f)).collect();
    // Aggregates name their support functions, so they follow them.
    out.extend(aggregates.iter().map(|a| render_aggregate(a)));
    if functions
        .iter()
        .any(|f| f.language.trim().eq_ignore_ascii_case("sql"))
    {
        out.insert(0, "SET check_function_bodies = false;".to_string());
        out.push("RESET check_function_bodies;".to_string());
    }
    out
}

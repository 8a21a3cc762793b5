//! Reverse engineering: a [`Model`] (from a live database, an SQL file or the designer)
//! printed as `.strata` source that `strata fmt` leaves unchanged and that designs back into
//! the same physical schema.
//!
//! [`to_strata`] recognises what the designer's conventions would produce — surrogate `id`
//! keys, plural or singular table names, `created_at`/`updated_at` with their trigger, soft
//! delete, the audit log, tenant isolation, semantic types, many-to-many junction tables,
//! foreign-key indexes — and leaves it implicit. Everything else is spelled out: explicit
//! constraint and index names, exact types (in backticks when the language has no name for
//! them), conventions switched off per entity. Objects the language cannot express
//! (functions, triggers, views that depend on them, per-partition objects, ...) go through the
//! raw SQL escape hatch, and objects that cannot be reproduced at all are reported as
//! warnings, never dropped silently.
//!
//! The printed text is checked: it is parsed and designed again and every table is compared
//! with the original. A table that does not come back identical is printed again with every
//! convention off; what still differs is reported as a warning.

mod build;
mod emit;
mod entity;
mod names;
mod objects;
mod sqlform;
mod tenancy;
mod types;
mod verify;

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use strata_model::{Model, QualifiedName};

/// How to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReverseOptions {
    /// One file per PostgreSQL schema (`public.strata`, `billing.strata`, ...) instead of one
    /// `schema.strata` with `schema` blocks.
    pub split_by_schema: bool,
    /// Design the printed text again and compare (and fall back to explicit spellings where
    /// the comparison fails). On by default; off only for speed.
    pub verify: bool,
}

impl Default for ReverseOptions {
    fn default() -> Self {
        ReverseOptions {
            split_by_schema: false,
            verify: true,
        }
    }
}

/// Something the printed `.strata` does not reproduce exactly, or reproduces only through
/// raw SQL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The object concerned (`table public.users`, `function public.f(integer)`, ...).
    pub object: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.object, self.message)
    }
}

/// The printed schema: file names (relative) with their text, and the warnings.
#[derive(Debug, Clone, Default)]
pub struct Reversed {
    pub files: Vec<(PathBuf, String)>,
    pub warnings: Vec<Warning>,
}

impl Reversed {
    /// All files concatenated (for printing to a terminal): with one file, its text.
    pub fn text(&self) -> String {
        match self.files.as_slice() {
            [(_, text)] => text.clone(),
            files => files
                .iter()
                .map(|(p, t)| format!("// file: {}\n{t}", p.display()))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// What the printer may leave to conventions. Escalated when a design-back check fails.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Tables printed with every convention off.
    pub explicit: BTreeSet<QualifiedName>,
    /// Tables not recognised as many-to-many junctions.
    pub no_junction: BTreeSet<QualifiedName>,
    /// The audit log is printed as an entity and audit triggers as raw SQL.
    pub no_audit: bool,
}

/// Prints `model` as `.strata`.
pub fn to_strata(model: &Model, opts: &ReverseOptions) -> Reversed {
    let mut model = model.clone();
    model.canonicalize();
    let mut plan = Plan::default();
    // Each round makes more tables explicit; three rounds reach a fixed point in practice
    // (idiomatic → explicit table → explicit audit log / junctions).
    for round in 0..4 {
        let out = emit::emit(&model, &plan, opts);
        if !opts.verify {
            return out.reversed;
        }
        let report = verify::verify(&out.expected, &out.reversed.files);
        if std::env::var_os("STRATA_REVERSE_DEBUG").is_some() {
            eprintln!(
                "round {round}: {:#?}\n{}",
                report.warnings(),
                out.reversed.text()
            );
        }
        let escalated = round < 3 && escalate(&mut plan, &report, &model);
        if !escalated {
            let mut reversed = out.reversed;
            reversed.warnings.extend(report.warnings());
            reversed.warnings.sort();
            reversed.warnings.dedup();
            return reversed;
        }
    }
    Reversed::default()
}

fn escalate(plan: &mut Plan, report: &verify::Report, model: &Model) -> bool {
    let mut changed = false;
    if report.design_errors.is_some() {
        for t in &model.tables {
            changed |= plan.explicit.insert(t.name.clone());
            changed |= plan.no_junction.insert(t.name.clone());
        }
        changed |= !std::mem::replace(&mut plan.no_audit, true);
        return changed;
    }
    for name in report.tables.keys() {
        if name.name == "audit_log" && !plan.no_audit {
            plan.no_audit = true;
            changed = true;
        }
        changed |= plan.no_junction.insert(name.clone());
        changed |= plan.explicit.insert(name.clone());
        // A partition differs when its parent does.
        if let Some(parent) = model
            .table(name)
            .and_then(|t| t.partition_of.as_ref())
            .map(|p| p.parent.clone())
        {
            changed |= plan.explicit.insert(parent);
        }
    }
    changed
}

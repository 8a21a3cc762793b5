//! The designer: turns a `.strata` syntax tree into a physical PostgreSQL [`Model`],
//! applying the conventions of DESIGN.md. Every derived object records why it exists.

mod access;
pub mod codes;
mod collect;
pub mod conventions;
mod entity;
mod features;
mod fragments;
mod frozen_default;
mod indexes;
pub mod names;
mod sequences;
mod tenancy;
mod types;

use strata_diagnostics::{Diagnostic, FileId};
use strata_lang::ast;
use strata_model::Model;

/// The result of designing: the model (complete as far as the input allowed) and every
/// diagnostic found on the way. The model is only meaningful when no diagnostic is an error.
#[derive(Debug, Clone)]
pub struct Design {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// How the indexes were chosen: per table, the chosen and rejected candidates with their
    /// reasons, the plan of each access pattern, and the workload defaults used.
    pub indexes: strata_workload::Selection,
}

impl Design {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Designs one schema from all of its files (a folder is one schema).
pub fn design(files: &[(FileId, ast::File)]) -> Design {
    let mut diags = Vec::new();
    fragments::check_files(files, &mut diags);
    let collected = collect::collect(files, &mut diags);
    let (mut model, indexes) = entity::lower(&collected, &mut diags);
    model.canonicalize();
    Design {
        model,
        diagnostics: diags,
        indexes,
    }
}

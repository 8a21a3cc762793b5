pub mod advise;
pub mod apply;
pub mod build;
pub mod check;
pub mod dev;
pub mod diff;
pub mod docs;
pub mod fmt;
pub mod r#gen;
pub mod init;
pub mod inspect;
pub mod lint;
pub mod lint_fix;
pub mod lint_migrations;
pub mod lint_trace;
pub mod migrate;
pub mod migrate_new;
pub mod seed;
pub mod shell;
pub mod verify;

use strata_diagnostics::{Diagnostic, Severity, SourceMap};

use crate::output;

/// (errors, warnings) among `diags`.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let count = |sev| diags.iter().filter(|d| d.severity == sev).count();
    (count(Severity::Error), count(Severity::Warning))
}

/// Prints diagnostics in human form to stderr, with a summary line.
pub fn report_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) {
    if diags.is_empty() {
        return;
    }
    output::stderr(&strata_diagnostics::render_human(diags, sources, color));
    let (errors, warnings) = counts(diags);
    output::stderr(&format!("{errors} error(s), {warnings} warning(s)\n"));
}

/// Parse and design; diagnostics sorted by position.
pub fn design(
    path: &std::path::Path,
) -> anyhow::Result<(crate::load::Loaded, strata_design::Design)> {
    let loaded = crate::load::load(path)?;
    let mut design = strata_design::design(&loaded.files);
    let mut all = loaded.diagnostics.clone();
    all.append(&mut design.diagnostics);
    let mut bag = strata_diagnostics::Diagnostics::new();
    bag.extend(all);
    let mut sorted = bag.sorted();
    sorted.dedup();
    design.diagnostics = sorted;
    Ok((loaded, design))
}

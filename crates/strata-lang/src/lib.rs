//! The `.strata` language: lexer, error-recovering parser, syntax tree and formatter.
//!
//! - [`parse`] turns one file into an [`ast::File`] plus diagnostics; it never panics and
//!   recovers from errors so one run reports many of them.
//! - [`parse_sources`] does the same for every file of a multi-file schema.
//! - [`format`] prints a syntax tree canonically (`strata fmt`).
//! - [`SYNTAX_CODES`] lists every diagnostic code the lexer and parser report.

pub mod ast;
pub mod codes;
mod format;
mod lexer;
mod normalize;
mod parser;

use strata_diagnostics::{Diagnostic, FileId, SourceMap};

pub use codes::SYNTAX_CODES;
pub use format::format;
pub use normalize::{same_modulo_spans, without_spans};
pub use parser::parse;

/// Parses every file of `sources` (in [`FileId`] order). Diagnostics are in file order.
pub fn parse_sources(sources: &SourceMap) -> (Vec<(FileId, ast::File)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for (id, file) in sources.files() {
        let (ast, d) = parse(id, &file.text);
        files.push((id, ast));
        diags.extend(d);
    }
    (files, diags)
}

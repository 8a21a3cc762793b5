//! One entry point for every command that reads a schema: turns a SRC argument into a
//! [`Model`], its diagnostics and the sources they point into.
//!
//! SRC is one of:
//! - a `.strata` file or a folder of them (one schema): parsed and designed;
//! - a `.sql` file (`pg_dump` output included): applied to a fresh database on a throwaway
//!   cluster (or on the server of `--dev-url`), then introspected;
//! - a database URL (`postgres://`, `postgresql://`) or a libpq `key=value` string:
//!   introspected directly.
//!
//! ```ignore
//! let src = source::load(&arg, &SourceOptions::default())?;
//! source::report(&src, color);          // diagnostics to stderr
//! if src.has_errors() { return Ok(EXIT_ERROR); }
//! use_model(&src.model);
//! ```
//!
//! Diagnostics of `.strata` input carry spans into [`Source::sources`]; those of SQL input
//! point into the SQL file (also in `sources`); those of a database have no span and name the
//! object instead.

use std::path::{Path, PathBuf};

use strata_diagnostics::{Diagnostic, Severity, SourceMap};
use strata_model::Model;

/// What SRC turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Strata,
    Sql,
    Database,
}

/// How to read a source besides its argument.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// A server to apply SQL input to instead of a throwaway cluster.
    pub dev_url: Option<String>,
    /// Read only these schemas of a database (all user schemas when empty).
    pub schemas: Vec<String>,
    /// Glob patterns on qualified names (`public.tmp_*`) of objects not to read.
    pub exclude: Vec<String>,
}

/// A loaded schema.
pub struct Source {
    pub kind: SourceKind,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The files read (empty for a database).
    pub paths: Vec<PathBuf>,
}

impl Source {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn counts(&self) -> (usize, usize) {
        let count = |sev| {
            self.diagnostics
                .iter()
                .filter(|d| d.severity == sev)
                .count()
        };
        (count(Severity::Error), count(Severity::Warning))
    }
}

/// Whether `arg` names a database rather than a path.
pub fn is_database(arg: &str) -> bool {
    let lower = arg.trim_start().to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return true;
    }
    // A libpq key=value string: `host=... dbname=...`. A path with `=` in it that exists is
    // still a path.
    !Path::new(arg).exists()
        && arg.split_whitespace().next().is_some_and(|w| {
            w.split_once('=').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
}

/// Reads SRC (see the module documentation).
pub fn load(arg: &str, opts: &SourceOptions) -> anyhow::Result<Source> {
    let _ = (&opts.dev_url, &opts.schemas, &opts.exclude);
    match kind_of(arg) {
        SourceKind::Database => {
            anyhow::bail!("reading a live database is not available in this build yet")
        }
        SourceKind::Sql => {
            anyhow::bail!("{arg} is an SQL file; SQL input is not available in this build yet")
        }
        SourceKind::Strata => load_strata(Path::new(arg)),
    }
}

/// The kind [`load`] would read `arg` as.
pub fn kind_of(arg: &str) -> SourceKind {
    if is_database(arg) {
        SourceKind::Database
    } else if Path::new(arg)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("sql"))
    {
        SourceKind::Sql
    } else {
        SourceKind::Strata
    }
}

fn load_strata(path: &Path) -> anyhow::Result<Source> {
    let (loaded, design) = crate::commands::design(path)?;
    Ok(Source {
        kind: SourceKind::Strata,
        model: design.model,
        diagnostics: design.diagnostics,
        sources: loaded.sources,
        paths: loaded.paths,
    })
}

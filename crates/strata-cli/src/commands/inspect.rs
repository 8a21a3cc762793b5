//! `strata inspect SRC`: print a schema read from a database, an SQL file or `.strata` files.

use std::path::Path;

use anyhow::Context;
use clap::ValueEnum;

use crate::source::{self, SourceOptions};
use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default, Debug)]
pub enum InspectFormat {
    /// `.strata` source that designs back into the same schema (reverse engineering).
    #[default]
    Strata,
    /// PostgreSQL DDL that recreates the schema.
    Sql,
    /// The model as JSON.
    Json,
}

pub fn run(
    src: &str,
    opts: &SourceOptions,
    format: InspectFormat,
    out: Option<&Path>,
    color: bool,
) -> anyhow::Result<u8> {
    let loaded = source::load(src, opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        output::stderr("nothing was printed: fix the errors above\n");
        return Ok(EXIT_ERROR);
    }
    let mut reverse_warnings = 0;
    let text = match format {
        InspectFormat::Strata => {
            let reversed = strata_reverse::to_strata(
                &loaded.model,
                &strata_reverse::ReverseOptions::default(),
            );
            for w in &reversed.warnings {
                output::stderr(&format!("warning: {w}\n"));
            }
            reverse_warnings = reversed.warnings.len();
            reversed.text()
        }
        InspectFormat::Sql => strata_sql::render(
            &loaded.model,
            &strata_sql::RenderOptions {
                header: Some(format!(
                    "Schema inspected by strata from {}",
                    source::describe(src)
                )),
            },
        )?,
        InspectFormat::Json => format!("{}\n", loaded.model.to_json()),
    };
    match out {
        Some(file) => std::fs::write(file, &text)
            .with_context(|| format!("cannot write {}", file.display()))?,
        None => output::stdout(&text)?,
    }
    let (_, warnings) = loaded.counts();
    Ok(if warnings + reverse_warnings > 0 {
        EXIT_FINDINGS
    } else {
        0
    })
}

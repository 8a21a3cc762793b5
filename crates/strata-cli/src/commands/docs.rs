//! `strata docs SRC --out DIR [--format markdown|html]`, and the diagram, tbls and sample-data
//! targets of `strata gen` (`mermaid`, `dbml`, `tbls`, `seed-sql`).

use std::path::Path;

use anyhow::Context;
use clap::ValueEnum;

use strata_gen::GeneratedFile;

use super::r#gen::{GenOptions, GenTarget};
use crate::source::{self, SourceOptions};
use crate::{EXIT_ERROR, output};

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum, Default, Debug)]
pub enum DocsFormat {
    #[default]
    Markdown,
    Html,
}

/// Loads SRC and reports its diagnostics; `None` (after printing why) when it has errors.
fn load(
    src: &str,
    opts: &SourceOptions,
    color: bool,
) -> anyhow::Result<Option<strata_model::Model>> {
    let loaded = source::load(src, opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        output::stderr(
            "nothing was generated: fix the errors above (`strata check` lists them too)\n",
        );
        return Ok(None);
    }
    Ok(Some(loaded.model))
}

/// What the documents call the schema: the folder or file name without extension.
fn title_of(src: &str) -> String {
    if source::is_database(src) {
        return "Database".into();
    }
    let path = Path::new(src);
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Database".into())
}

pub fn run(
    src: &str,
    opts: &SourceOptions,
    out: &Path,
    format: DocsFormat,
    color: bool,
) -> anyhow::Result<u8> {
    let Some(model) = load(src, opts, color)? else {
        return Ok(EXIT_ERROR);
    };
    let doc_opts = strata_docs::DocOptions {
        title: title_of(src),
    };
    let files: Vec<(String, String)> = match format {
        DocsFormat::Markdown => vec![(
            "schema.md".into(),
            strata_docs::markdown::render(&model, &doc_opts),
        )],
        DocsFormat::Html => strata_docs::html::render(&model, &doc_opts)
            .into_iter()
            .map(|f| (f.path, f.content))
            .collect(),
    };
    for (rel, content) in &files {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let entry = match format {
        DocsFormat::Markdown => "schema.md",
        DocsFormat::Html => "index.html",
    };
    output::info(&format!(
        "wrote {} file(s) to {} (open {})\n",
        files.len(),
        out.display(),
        out.join(entry).display()
    ));
    Ok(0)
}

/// The files of the `strata gen` targets this module renders (`mermaid`, `dbml`, `tbls`,
/// `seed-sql`): one each, printed when `--out` is not given.
pub fn generate(
    target: GenTarget,
    model: &strata_model::Model,
    src: &str,
    opts: &GenOptions,
) -> anyhow::Result<Vec<GeneratedFile>> {
    let file = match target {
        GenTarget::Mermaid => GeneratedFile::new("schema.mmd", strata_docs::mermaid::render(model)),
        GenTarget::Dbml => GeneratedFile::new("schema.dbml", strata_docs::dbml::render(model)),
        GenTarget::Tbls => GeneratedFile::new(
            "schema.json",
            strata_docs::tbls::render(model, &title_of(src)),
        ),
        GenTarget::SeedSql => {
            if opts.rows == 0 {
                anyhow::bail!("--rows must be at least 1");
            }
            let seed = strata_docs::SeedOptions {
                rows: opts.rows,
                seed: opts.seed,
            };
            GeneratedFile::new("seed.sql", strata_docs::seed::render(model, &seed)?)
        }
        other => anyhow::bail!("internal: {other:?} is not a documentation target"),
    };
    Ok(vec![file])
}

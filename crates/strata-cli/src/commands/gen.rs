//! `strata gen TARGET SRC [--out DIR]`: application code and artefacts from a schema.
//!
//! To add a target: a variant of [`GenTarget`] and an arm in [`generate`] returning its files
//! (paths relative to `--out`). A target that yields one file may be printed to standard output
//! when `--out` is omitted; the others need `--out`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::ValueEnum;
use strata_gen::{GenConfig, GeneratedFile};
use strata_model::Model;

use crate::source::{self, SourceKind, SourceOptions};
use crate::{EXIT_ERROR, output};

#[derive(Copy, Clone, PartialEq, Eq, Debug, ValueEnum)]
pub enum GenTarget {
    /// A Python package of SQLModel models, Create/Update/Read models and `database.py`.
    Sqlmodel,
    /// An Alembic environment whose initial revision creates the whole schema.
    Alembic,
    /// A drizzle-orm `pg-core` schema (`schema.ts`).
    Drizzle,
    /// Rust structs and enums for sqlx, one module per PostgreSQL schema.
    Rust,
    /// A Mermaid `erDiagram` (`schema.mmd`).
    Mermaid,
    /// DBML: tables, enums, refs with actions, indexes, notes (`schema.dbml`).
    Dbml,
    /// A tbls `schema.json`.
    Tbls,
    /// INSERT statements of sample data that satisfy every constraint (`seed.sql`; --rows N).
    SeedSql,
}

/// Options of `strata gen` besides the target and source.
pub struct GenOptions {
    pub out: Option<PathBuf>,
    /// Alembic: the Python package of the SQLModel models that `env.py` imports.
    pub models_package: String,
    /// Seed SQL: rows per table, and the seed that makes them deterministic.
    pub rows: usize,
    pub seed: u64,
}

/// Everything a generator may need besides the model.
struct GenContext<'a> {
    src: &'a str,
    kind: SourceKind,
    opts: &'a GenOptions,
}

fn generate(
    target: GenTarget,
    model: &Model,
    cx: &GenContext,
) -> anyhow::Result<Vec<GeneratedFile>> {
    Ok(match target {
        GenTarget::Sqlmodel => strata_gen::sqlmodel::generate(model, &gen_config(cx)?)?,
        GenTarget::Alembic => strata_gen::alembic::generate(
            model,
            &strata_gen::alembic::AlembicOptions {
                models_package: cx.opts.models_package.clone(),
            },
        )?,
        GenTarget::Drizzle => strata_gen::drizzle::generate(model)?,
        GenTarget::Rust => strata_gen::rust::generate(model)?,
        GenTarget::Mermaid | GenTarget::Dbml | GenTarget::Tbls | GenTarget::SeedSql => {
            super::docs::generate(target, model, cx.src, cx.opts)?
        }
    })
}

/// `strata.toml` next to the schema (in the folder, or beside the file; the current folder
/// for a database), when there is one.
fn gen_config(cx: &GenContext) -> anyhow::Result<GenConfig> {
    let dir = match cx.kind {
        SourceKind::Database => PathBuf::from("."),
        _ => {
            let p = Path::new(cx.src);
            if p.is_dir() {
                p.to_path_buf()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        }
    };
    let file = dir.join("strata.toml");
    if !file.is_file() {
        return Ok(GenConfig::default());
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    GenConfig::from_toml(&text).with_context(|| {
        format!(
            "{}: fix the [gen] table (keys are listed in docs/generators.md)",
            file.display()
        )
    })
}

pub fn run(
    target: GenTarget,
    src: &str,
    source_opts: &SourceOptions,
    opts: &GenOptions,
    color: bool,
) -> anyhow::Result<u8> {
    let loaded = source::load(src, source_opts)?;
    super::report_human(&loaded.diagnostics, &loaded.sources, color);
    if loaded.has_errors() {
        output::stderr(
            "nothing was generated: fix the errors above (`strata check` lists them too)\n",
        );
        return Ok(EXIT_ERROR);
    }
    let cx = GenContext {
        src,
        kind: loaded.kind,
        opts,
    };
    let files = generate(target, &loaded.model, &cx)?;
    let name = target
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    match &opts.out {
        None => match files.as_slice() {
            [one] => output::stdout(&one.contents)?,
            _ => bail!(
                "`strata gen {name}` writes {} files: give a folder with --out DIR",
                files.len()
            ),
        },
        // A path with an extension that is not a folder already names the file itself.
        Some(file) if file.extension().is_some() && !file.is_dir() => match files.as_slice() {
            [one] => {
                if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create folder {}", parent.display()))?;
                }
                std::fs::write(file, &one.contents)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                output::info(&format!("wrote {name} to {}\n", file.display()));
            }
            _ => bail!(
                "`strata gen {name}` writes {} files, but --out {} names a file: give a folder",
                files.len(),
                file.display()
            ),
        },
        Some(dir) => {
            write_files(dir, &files)?;
            output::info(&format!(
                "wrote {} file(s) for {name} to {}\n",
                files.len(),
                dir.display()
            ));
        }
    }
    Ok(0)
}

fn write_files(dir: &Path, files: &[GeneratedFile]) -> anyhow::Result<()> {
    for f in files {
        // Generated paths are relative and `/`-separated; refuse anything that would escape.
        let rel = Path::new(&f.path);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            bail!(
                "refusing to write generated path {:?} outside --out",
                f.path
            );
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create folder {}", parent.display()))?;
        }
        std::fs::write(&path, &f.contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

//! Reading a schema from a `.strata` file or a folder of them.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use strata_diagnostics::{Diagnostic, FileId, SourceMap};
use strata_lang::ast;

pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<(FileId, ast::File)>,
    pub paths: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every `.strata` file under `path` (sorted, so runs are deterministic).
pub fn strata_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}: check the path exists", path.display()))?;
    if meta.is_file() {
        if path.extension().is_some_and(|e| e == "sql") {
            bail!(
                "{} is an SQL file; this command reads `.strata` schemas (SQL input comes with `strata inspect`)",
                path.display()
            );
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    // Canonical paths already taken: a link back to a parent folder (a loop), or a second
    // name for a folder or file, is read once.
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let canonical = dir
            .canonicalize()
            .with_context(|| format!("cannot read {}", dir.display()))?;
        if !seen.insert(canonical) {
            continue;
        }
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let p = entry.path();
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            if p.is_dir() && !hidden && name != "target" && name != "node_modules" {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "strata")
                && seen.insert(
                    p.canonicalize()
                        .with_context(|| format!("cannot read {}", p.display()))?,
                )
            {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        bail!(
            "no .strata files in {}: create one with `strata init {}`",
            path.display(),
            path.display()
        );
    }
    Ok(out)
}

pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let paths = strata_files(path)?;
    let mut sources = SourceMap::new();
    for p in &paths {
        let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            bail!("{} is not UTF-8 text: save it as UTF-8", p.display());
        };
        sources.add(p.display().to_string(), text);
    }
    let (files, diagnostics) = strata_lang::parse_sources(&sources);
    Ok(Loaded {
        sources,
        files,
        paths,
        diagnostics,
    })
}

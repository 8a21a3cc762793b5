use std::path::Path;

use anyhow::Context;

use crate::{EXIT_ERROR, EXIT_FINDINGS, output};

pub fn run(path: &Path, check: bool, color: bool) -> anyhow::Result<u8> {
    let loaded = crate::load::load(path)?;
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        super::report_human(&loaded.diagnostics, &loaded.sources, color);
        output::stderr("not formatted: fix the syntax errors above first\n");
        return Ok(EXIT_ERROR);
    }
    let mut unformatted = Vec::new();
    for ((id, file), p) in loaded.files.iter().zip(&loaded.paths) {
        let formatted = strata_lang::format(file);
        let original = loaded
            .sources
            .get(*id)
            .map(|f| f.text.as_str())
            .unwrap_or_default();
        if formatted != original {
            if check {
                unformatted.push(p.display().to_string());
            } else {
                std::fs::write(p, formatted)
                    .with_context(|| format!("cannot write {}", p.display()))?;
                output::info(&format!("formatted {}\n", p.display()));
            }
        }
    }
    if check && !unformatted.is_empty() {
        for p in &unformatted {
            output::stdout(&format!("{p}\n"))?;
        }
        output::stderr(&format!(
            "{} file(s) not formatted: run `strata fmt {}`\n",
            unformatted.len(),
            path.display()
        ));
        return Ok(EXIT_FINDINGS);
    }
    Ok(0)
}

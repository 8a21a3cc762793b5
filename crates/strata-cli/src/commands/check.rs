use serde_json::json;

use crate::source::{self, SourceOptions};
use crate::{EXIT_ERROR, EXIT_FINDINGS, Format, output};

pub fn run(
    src: &str,
    opts: &SourceOptions,
    format: Format,
    color: bool,
    explain_indexes: bool,
) -> anyhow::Result<u8> {
    let loaded = source::load(src, opts)?;
    let defaults_used: Vec<String> = loaded
        .indexes
        .as_ref()
        .map(|s| s.defaults_used.clone())
        .unwrap_or_default();
    let diags = &loaded.diagnostics;
    let (errors, warnings) = loaded.counts();
    match format {
        Format::Json => {
            let doc = json!({
                "diagnostics": strata_diagnostics::render_json(diags, &loaded.sources),
                "summary": {"errors": errors, "warnings": warnings, "files": loaded.paths.len(),
                            "tables": loaded.model.tables.len()},
                "workload_defaults": defaults_used,
                "indexes": if explain_indexes { serde_json::to_value(&loaded.indexes)? } else { serde_json::Value::Null },
            });
            output::stdout(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        }
        Format::Human => {
            super::report_human(diags, &loaded.sources, color);
            if explain_indexes {
                match &loaded.indexes {
                    Some(sel) => output::stdout(&sel.explain())?,
                    None => output::info(
                        "note: --explain-indexes explains a `.strata` design's choice; SQL and databases keep their own indexes\n",
                    ),
                }
            }
            if !defaults_used.is_empty() && errors == 0 {
                output::info(&format!(
                    "note: index selection used workload defaults where the design declares nothing: {} (see docs/design.md; `strata check --explain-indexes` shows the choice)\n",
                    defaults_used.join("; ")
                ));
            }
            if diags.is_empty() {
                output::info(&format!(
                    "ok: {} file(s), {} table(s), {} index(es)\n",
                    loaded.paths.len(),
                    loaded.model.tables.len(),
                    loaded
                        .model
                        .tables
                        .iter()
                        .map(|t| t.indexes.len())
                        .sum::<usize>()
                ));
            }
        }
    }
    // The process ends next: freeing a large schema's trees one by one only costs time.
    std::mem::forget(loaded);
    Ok(if errors > 0 {
        EXIT_ERROR
    } else if warnings > 0 {
        EXIT_FINDINGS
    } else {
        0
    })
}

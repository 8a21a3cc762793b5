//! `strata lint --fix` and `--diff`: the migration statements of `.sql` sources and
//! migrations folders rewritten with the safe recipe where the fix is certain
//! ([`strata_lint::fix`]), written in place (`--fix`) or shown as a unified diff (`--diff`,
//! which writes nothing, as ruff's does). A migrations folder's `strata.sum` is rewritten when
//! it matched the files before the fix; otherwise the user is told to rehash.

use std::path::Path;

use anyhow::Context as _;
use strata_lint::Config;
use strata_lint::migration::SqlFile;

use super::lint_migrations::{Changed, folder_files, is_migrations_folder};
use crate::output;
use crate::source::{self, SourceKind};

/// What the fixes did, over every source.
#[derive(Default)]
pub struct Fixed {
    /// Files rewritten (or, with `--diff`, that would be).
    pub files: usize,
}

/// Fixes every `.sql` source and migrations folder of `srcs`; with `write` false, prints the
/// diffs instead of writing.
pub fn run(
    srcs: &[String],
    config: &Config,
    changed: Option<&Changed>,
    write: bool,
) -> anyhow::Result<Fixed> {
    let mut done = Fixed::default();
    for src in srcs {
        let folder = is_migrations_folder(src);
        let files = if folder {
            folder_files(src)?
        } else if source::kind_of(src) == SourceKind::Sql && Path::new(src).is_file() {
            vec![SqlFile {
                name: src.clone(),
                text: std::fs::read_to_string(src).with_context(|| format!("reading {src}"))?,
                runner_transaction: false,
            }]
        } else {
            output::info(&format!(
                "note: nothing to fix in {src}: --fix rewrites migration statements (.sql files and migrations folders)\n"
            ));
            continue;
        };
        let reported = |name: &str| changed.is_none_or(|c| c.touches(Path::new(name)));
        let mut suppressions = Vec::new();
        for f in &files {
            // Malformed suppressions are reported by the lint that follows.
            suppressions.extend(strata_lint::suppress::scan_sql(&f.text, Some(&f.name)).0);
        }
        // The sum as it was: rewritten after the fix only if it matched the files before it.
        let sum_matched = folder
            .then(|| strata_migrate::Folder::read(Path::new(src)).ok())
            .flatten()
            .map(|f| f.sum_path().is_file().then(|| f.verify_sum().is_ok()));
        let outcome = strata_lint::fix::fix(&files, config, &suppressions);
        for l in outcome.left.iter().filter(|l| reported(&l.file)) {
            output::stderr(&format!(
                "{}:{}: {} not fixed: {}\n",
                l.file, l.line, l.code, l.reason
            ));
        }
        let mut wrote = 0;
        for f in outcome.files.iter().filter(|f| reported(&f.name)) {
            done.files += 1;
            if !write {
                let diff = similar::TextDiff::from_lines(&f.before, &f.after);
                output::stdout(
                    &diff
                        .unified_diff()
                        .context_radius(3)
                        .header(&f.name, &f.name)
                        .to_string(),
                )?;
                continue;
            }
            std::fs::write(&f.name, &f.after).with_context(|| format!("writing {}", f.name))?;
            wrote += 1;
            let fixes: Vec<String> = f
                .fixes
                .iter()
                .map(|(code, line)| format!("{code} (line {line})"))
                .collect();
            output::info(&format!("fixed {}: {}\n", f.name, fixes.join(", ")));
        }
        if !folder || wrote == 0 {
            continue;
        }
        output::stderr(
            "warning: a migration already applied to a database has its checksum recorded there; \
             a rewritten one is refused by `strata migrate apply`: fix only migrations not yet applied\n",
        );
        match sum_matched {
            Some(Some(true)) => {
                let f = strata_migrate::Folder::read(Path::new(src))
                    .with_context(|| format!("reading the migrations folder {src}"))?;
                f.write_sum()?;
                output::info(&format!("updated {}\n", f.sum_path().display()));
            }
            Some(Some(false)) => output::stderr(&format!(
                "warning: {src}/strata.sum did not match the files before the fix and is left as it was: check the migrations, then run `strata migrate hash`\n"
            )),
            _ => {}
        }
    }
    Ok(done)
}
